using System.Globalization;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Ledger;

/// <summary>
/// Recomputes every balance from the ledger entries and checks all money invariants of DESIGN.md section 7
/// (the rules themselves are the domain's <see cref="LedgerInvariants"/>). Tests run it after every test that
/// moves money; an empty list means the books are right.
/// </summary>
public sealed class LedgerVerifier(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<InvariantViolation>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One read transaction over a consistent snapshot that does not block writers: deferred on SQLite (WAL),
        // REPEATABLE READ on PostgreSQL.
        await using var snapshot = await BeginSnapshotAsync(db, cancellationToken);
        var accounts = await db.LedgerAccounts.AsNoTracking().ToListAsync(cancellationToken);
        var keys = accounts.ToDictionary(a => a.Id, ToKey);
        var entries = await db.LedgerEntries.AsNoTracking()
            .Select(e => new { e.TransactionId, e.AccountId, e.Amount })
            .ToListAsync(cancellationToken);
        var entriesByTransaction = entries.ToLookup(e => e.TransactionId);
        // From the transactions table, so a transaction without entries is reported too.
        var merchantOf = await db.LedgerTransactions.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.MerchantId, cancellationToken);
        var transactions = merchantOf.Keys
            .Concat(entriesByTransaction.Select(g => g.Key))
            .Distinct()
            .Select(id => new RecordedTransaction(
                id.ToString(CultureInfo.InvariantCulture),
                [.. entriesByTransaction[id].Select(e => new LedgerEntry(keys[e.AccountId], e.Amount))]));
        var cashouts = await db.Cashouts.AsNoTracking().ToListAsync(cancellationToken);

        // The balance chart reads a merchant's movements by the transactions' merchant and time (GetBalanceHistory):
        // every entry on a merchant's account must belong to a transaction that names that merchant.
        var accountMerchant = accounts.ToDictionary(a => a.Id, a => a.MerchantId);
        var unnamed = entries
            .Where(e => accountMerchant[e.AccountId] is { } merchant && merchantOf.GetValueOrDefault(e.TransactionId) != merchant)
            .Select(e => new InvariantViolation(LedgerInvariant.TransactionNamesItsMerchant,
                $"transaction {e.TransactionId} moves {keys[e.AccountId]} but names merchant '{merchantOf.GetValueOrDefault(e.TransactionId) ?? "none"}'"));

        return [.. LedgerInvariants.Check(
            transactions,
            accounts.ToDictionary(a => keys[a.Id], a => a.Balance),
            cashouts.Select(c => c.ToReservationFact())), .. unnamed];
    }

    private static async Task<IAsyncDisposable> BeginSnapshotAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var deferred = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        var used = await db.Database.UseTransactionAsync(deferred, cancellationToken);
        return new DeferredSnapshot(db, used!, deferred);
    }

    /// <summary>
    /// Ends the deferred read as it began, in reverse: EF Core lets go of the transaction, it rolls back, and the
    /// connection opened for it is closed, so the context goes back to its pool with nothing counted open.
    /// </summary>
    private sealed class DeferredSnapshot(PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction used, SqliteTransaction deferred) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await used.DisposeAsync();
            await deferred.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }

    private static LedgerAccountKey ToKey(LedgerAccount account)
    {
        var currency = Currency.Parse(account.Currency);
        return account.Kind switch
        {
            LedgerAccountKind.MerchantAvailable => LedgerAccountKey.MerchantAvailable(account.MerchantId!, currency),
            LedgerAccountKind.MerchantPending => LedgerAccountKey.MerchantPending(account.MerchantId!, currency),
            LedgerAccountKind.MerchantReserved => LedgerAccountKey.MerchantReserved(account.MerchantId!, currency),
            LedgerAccountKind.PlatformFeeRevenue => LedgerAccountKey.PlatformFeeRevenue(currency),
            LedgerAccountKind.ProviderClearing => LedgerAccountKey.ProviderClearing(account.Provider!.Value, currency),
            LedgerAccountKind.ExternalFunding => LedgerAccountKey.ExternalFunding(currency),
            _ => throw new InvalidOperationException($"Unknown ledger account kind {account.Kind}."),
        };
    }
}
