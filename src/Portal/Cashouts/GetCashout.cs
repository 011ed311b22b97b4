using Cashout.Domain.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// Reads one cashout by its id or by the merchant's external id. A merchant sees only its own: another
/// merchant's cashout is simply not found, so ids reveal nothing.
/// </summary>
public sealed class GetCashout(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<MerchantCashout?> ByIdAsync(Caller caller, long cashoutId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cashout = await db.Cashouts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cashoutId, cancellationToken);
        return cashout is not null && caller.CanActFor(cashout.MerchantId) ? cashout : null;
    }

    public async Task<MerchantCashout?> ByExternalIdAsync(Caller caller, string merchantId, string externalId, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Cashouts.AsNoTracking().SingleOrDefaultAsync(c => c.MerchantId == merchantId && c.ExternalId == externalId, cancellationToken);
    }
}
