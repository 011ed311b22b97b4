using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Balances;

/// <summary>A merchant's three balances in one currency.</summary>
public sealed record MerchantBalance(Currency Currency, Money Available, Money Pending, Money Reserved);

/// <summary>
/// Reads a merchant's balances from the running totals: at most three rows per currency, whatever the length of
/// the ledger (docs/performance.md measures it flat from 1,000 to 1,000,000 entries).
/// </summary>
public sealed class GetBalances(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<MerchantBalance>> HandleAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.LedgerAccounts.AsNoTracking()
            .Where(a => a.MerchantId == merchantId)
            .Select(a => new { a.Kind, a.Currency, a.Balance })
            .ToListAsync(cancellationToken);

        return FromAccounts(accounts.Select(a => (a.Kind, a.Currency, a.Balance)));
    }

    /// <summary>Groups a merchant's running balances by currency, the default currency first.</summary>
    internal static IReadOnlyList<MerchantBalance> FromAccounts(IEnumerable<(LedgerAccountKind Kind, string Currency, long Balance)> accounts) =>
        [.. accounts
            .GroupBy(a => Currency.Parse(a.Currency))
            .OrderBy(g => g.Key.Code == Currency.Default.Code ? 0 : 1).ThenBy(g => g.Key.Code, StringComparer.Ordinal)
            .Select(g => new MerchantBalance(
                g.Key,
                Money.Of(g.Where(a => a.Kind == LedgerAccountKind.MerchantAvailable).Sum(a => a.Balance), g.Key),
                Money.Of(g.Where(a => a.Kind == LedgerAccountKind.MerchantPending).Sum(a => a.Balance), g.Key),
                Money.Of(g.Where(a => a.Kind == LedgerAccountKind.MerchantReserved).Sum(a => a.Balance), g.Key)))];
}
