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
    // The status reads are the machine APIs' hottest call: compiled (no expression tree to walk per call) and
    // projected to the few columns a status answer needs (SQLite prepares a shorter statement, nothing else is
    // materialised). docs/performance.md has the profile.
    private static readonly Func<PortalDbContext, long, Task<CashoutStatusView?>> StatusById = EF.CompileAsyncQuery(
        (PortalDbContext db, long id) => db.Cashouts.Where(c => c.Id == id)
            .Select(c => new CashoutStatusView(c.Id, c.MerchantId, c.Status, c.RejectionCode, c.RejectionReason, c.ExternalId))
            .SingleOrDefault());

    private static readonly Func<PortalDbContext, string, string, Task<CashoutStatusView?>> StatusByExternalId = EF.CompileAsyncQuery(
        (PortalDbContext db, string merchantId, string externalId) => db.Cashouts.Where(c => c.MerchantId == merchantId && c.ExternalId == externalId)
            .Select(c => new CashoutStatusView(c.Id, c.MerchantId, c.Status, c.RejectionCode, c.RejectionReason, c.ExternalId))
            .SingleOrDefault());

    public async Task<CashoutStatusView?> StatusByIdAsync(Caller caller, long cashoutId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cashout = await StatusById(db, cashoutId);
        return cashout is not null && caller.CanActFor(cashout.MerchantId) ? cashout : null;
    }

    public async Task<CashoutStatusView?> StatusByExternalIdAsync(Caller caller, string merchantId, string externalId, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await StatusByExternalId(db, merchantId, externalId);
    }

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

/// <summary>What a status answer needs of a cashout: where it is and, when it failed, why.</summary>
public sealed record CashoutStatusView(long Id, string MerchantId, CashoutStatus Status, string? RejectionCode, string? RejectionReason, string? ExternalId);
