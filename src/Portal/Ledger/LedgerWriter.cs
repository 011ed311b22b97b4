using Cashout.Domain.Ledger;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Ledger;

/// <summary>A posting would take an account that must stay non-negative below zero; nothing was written.</summary>
public sealed class InsufficientFundsException(LedgerAccountKey account)
    : InvalidOperationException($"The posting would take {account} below zero.")
{
    public LedgerAccountKey Account { get; } = account;
}

/// <summary>
/// Posts a domain <see cref="LedgerTransaction"/>: the entries and the running balances, inside the caller's
/// database transaction. The non-negative rule is enforced by the write itself: a conditional UPDATE that
/// matches no row when the balance would go below zero (and a CHECK constraint behind it), so concurrent
/// requests cannot race a read-then-write check.
/// </summary>
public sealed class LedgerWriter(TimeProvider time)
{
    public async Task<LedgerTransactionRecord> PostAsync(
        PortalDbContext db, LedgerTransaction transaction, string? merchantId, long? cashoutId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ledger postings must run inside the database transaction of the change that causes them.");
        }

        var record = new LedgerTransactionRecord(transaction, time.GetUtcNow(), merchantId, cashoutId);
        foreach (var entry in transaction.Entries)
        {
            var accountId = await EnsureAccountAsync(db, entry.Account, cancellationToken);
            var mustStayNonNegative = entry.Account.MustStayNonNegative ? 1 : 0;
            var changed = await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE "LedgerAccounts" SET "Balance" = "Balance" + {entry.Amount}
                WHERE "Id" = {accountId} AND ({mustStayNonNegative} = 0 OR "Balance" + {entry.Amount} >= 0)
                """,
                cancellationToken);
            if (changed == 0)
            {
                throw new InsufficientFundsException(entry.Account);
            }

            record.Entries.Add(new LedgerEntryRecord(accountId, entry.Amount));
        }

        db.Add(record);
        return record;
    }

    private static async Task<long> EnsureAccountAsync(PortalDbContext db, LedgerAccountKey key, CancellationToken cancellationToken)
    {
        var name = key.ToString();
        var kind = key.Kind.ToString();
        var currency = key.Currency.Code;
        var provider = key.Provider?.ToString();
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "LedgerAccounts" ("Key", "Kind", "Currency", "MerchantId", "Provider", "Balance")
            VALUES ({name}, {kind}, {currency}, {key.MerchantId}, {provider}, 0)
            ON CONFLICT ("Key") DO NOTHING
            """,
            cancellationToken);
        return await db.Database.SqlQuery<long>($"SELECT \"Id\" AS \"Value\" FROM \"LedgerAccounts\" WHERE \"Key\" = {name}").SingleAsync(cancellationToken);
    }
}
