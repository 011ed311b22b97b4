using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Balances;

/// <summary>A merchant's balances at the end of one UTC day (today: now).</summary>
public sealed record BalancePoint(DateOnly Day, Money Available, Money Pending, Money Reserved)
{
    public Money Total => Available + Pending + Reserved;
}

/// <summary>The end-of-day balances of one currency over the window, oldest day first.</summary>
public sealed record BalanceHistory(Currency Currency, IReadOnlyList<BalancePoint> Days);

/// <summary>
/// The merchant's balances over the last days, derived from the ledger: each day's closing balance is the running
/// total of the account minus the movements posted after that day. It reads the current running totals plus one
/// aggregate of the window's entries per account and day (grouped in SQL), so its cost does not grow with the history
/// before the window.
/// </summary>
public sealed class GetBalanceHistory(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public const int DefaultDays = 30;

    public async Task<IReadOnlyList<BalanceHistory>> HandleAsync(Caller caller, string merchantId, int days = DefaultDays, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return [];
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 366);

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var firstDay = today.AddDays(1 - days);
        var windowStart = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.LedgerAccounts.AsNoTracking()
            .Where(a => a.MerchantId == merchantId)
            .Select(a => new { a.Id, a.Kind, a.Currency, a.Balance })
            .ToListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            return [];
        }

        // PostedAt is stored as UTC milliseconds (PortalDbContext), so integer division gives the UTC day number. Read
        // from the window's transactions of this merchant (index MerchantId, PostedAt), not from all its entries: the
        // dashboard stays flat as the history grows (docs/performance.md); CROSS JOIN keeps SQLite to that order
        // (PostgreSQL's planner finds it from the statistics, and has no CROSS JOIN ... ON). Every transaction on a
        // merchant's account names the merchant (LedgerVerifier checks it).
        var movements = db.Database.IsSqlite()
            ? db.Database.SqlQuery<DailyMovement>($"""
                SELECT e."AccountId" AS "AccountId", t."PostedAt" / 86400000 AS "DayNumber", SUM(e."Amount") AS "Amount"
                FROM "LedgerTransactions" t
                CROSS JOIN "LedgerEntries" e ON e."TransactionId" = t."Id"
                CROSS JOIN "LedgerAccounts" a ON a."Id" = e."AccountId"
                WHERE t."MerchantId" = {merchantId} AND t."PostedAt" >= {windowStart} AND a."MerchantId" = {merchantId}
                GROUP BY e."AccountId", t."PostedAt" / 86400000
                """)
            : db.Database.SqlQuery<DailyMovement>($"""
                SELECT e."AccountId" AS "AccountId", t."PostedAt" / 86400000 AS "DayNumber", CAST(SUM(e."Amount") AS bigint) AS "Amount"
                FROM "LedgerTransactions" t
                JOIN "LedgerEntries" e ON e."TransactionId" = t."Id"
                JOIN "LedgerAccounts" a ON a."Id" = e."AccountId"
                WHERE t."MerchantId" = {merchantId} AND t."PostedAt" >= {windowStart} AND a."MerchantId" = {merchantId}
                GROUP BY e."AccountId", t."PostedAt" / 86400000
                """);
        var epoch = DateOnly.FromDateTime(DateTime.UnixEpoch);
        var byAccountAndDay = (await movements.ToListAsync(cancellationToken)).ToDictionary(m => (m.AccountId, epoch.AddDays((int)m.DayNumber)), m => m.Amount);

        return [.. accounts
            .GroupBy(a => Currency.Parse(a.Currency))
            .OrderBy(g => g.Key == Currency.Default ? 0 : 1).ThenBy(g => g.Key.Code, StringComparer.Ordinal)
            .Select(currency =>
            {
                // Walk back from today's running totals: the close of day d is the close of d+1 minus d+1's movements.
                var closing = currency.ToDictionary(a => a.Id, a => a.Balance);
                var points = new List<BalancePoint>(days);
                for (var day = today; day >= firstDay; day = day.AddDays(-1))
                {
                    points.Add(new BalancePoint(
                        day,
                        Money.Of(Sum(currency.Where(a => a.Kind == LedgerAccountKind.MerchantAvailable).Select(a => closing[a.Id])), currency.Key),
                        Money.Of(Sum(currency.Where(a => a.Kind == LedgerAccountKind.MerchantPending).Select(a => closing[a.Id])), currency.Key),
                        Money.Of(Sum(currency.Where(a => a.Kind == LedgerAccountKind.MerchantReserved).Select(a => closing[a.Id])), currency.Key)));
                    foreach (var account in currency)
                    {
                        closing[account.Id] -= byAccountAndDay.GetValueOrDefault((account.Id, day));
                    }
                }

                points.Reverse();
                return new BalanceHistory(currency.Key, points);
            })];
    }

    private static long Sum(IEnumerable<long> balances) => balances.Sum();

    // A row of the raw aggregate above (EF materialises unmapped types by property name).
    internal sealed class DailyMovement
    {
        public long AccountId { get; init; }

        public long DayNumber { get; init; }

        public long Amount { get; init; }
    }
}
