using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Audit;

/// <summary>An admin checks the whole audit chain from the first entry: intact, or where it breaks.</summary>
public sealed class VerifyAuditChain(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<AuditChainReport?> HandleAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Streamed: the log grows without bound, the check holds one entry at a time.
        return await AuditChain.VerifyAsync(db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable(), cancellationToken);
    }
}
