using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Merchants;

/// <summary>A merchant's own verification: what is done, what is missing (the verification page and the banner).</summary>
public sealed class GetVerification(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <returns>Null for anyone but the merchant itself (or an admin), or when there is no such merchant.</returns>
    public async Task<MerchantVerification?> HandleAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await MerchantStanding.GetAsync(db, merchantId, cancellationToken);
    }
}
