using Cashout.Domain.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// The merchant's cashouts that still hold money (Pending, OnHold, Processing), newest first, for the dashboard:
/// at most one awaits submission (rule 4), but earlier ones may still be processing.
/// </summary>
public sealed class GetCashoutsInFlight(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<CashoutRow>> HandleAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Sorted here, not in SQL: an ORDER BY CreatedAt leads SQLite to walk the merchant's whole history by date
        // (index MerchantId, CreatedAt) looking for the few in flight; without it, index (MerchantId, Status,
        // CreatedAt) finds just those (a handful at most: one awaiting submission, the rest with the provider).
        var cashouts = await db.Cashouts.AsNoTracking()
            .Where(c => c.MerchantId == merchantId &&
                        (c.Status == CashoutStatus.Pending || c.Status == CashoutStatus.OnHold || c.Status == CashoutStatus.Processing))
            .ToListAsync(cancellationToken);
        cashouts = [.. cashouts.OrderByDescending(c => c.CreatedAt).Take(10)];
        var destinations = await CashoutDestinations.OfAsync(db, cashouts, cancellationToken);
        return [.. cashouts.Select((c, i) => CashoutRow.From(c, merchantEmail: "", destinations[i]))];
    }
}
