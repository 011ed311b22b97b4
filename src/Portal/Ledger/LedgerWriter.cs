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
/// database transaction, written at once (<see cref="PlainInserts"/>). The non-negative rule is enforced by the write
/// itself: a conditional UPDATE that matches no row when the balance would go below zero (and a CHECK constraint
/// behind it), so concurrent requests cannot race a read-then-write check.
/// </summary>
/// <remarks>
/// One statement per entry, run as a plain command on the context's connection (every posting of every cashout
/// passes here, inside the write lock: docs/performance.md): a debit of an account that must stay non-negative
/// updates the existing account only if the balance covers it; any other entry creates its account if need be and
/// adds to it. Either way the statement returns the account's id, or no row when the balance does not cover a debit.
/// The SQL is the same on SQLite and PostgreSQL.
/// </remarks>
public sealed class LedgerWriter(TimeProvider time)
{
    private const string DebitCoveredSql = """
        UPDATE "LedgerAccounts" SET "Balance" = "Balance" + @amount
        WHERE "Key" = @key AND "Balance" + @amount >= 0
        RETURNING "Id"
        """;

    private const string AddSql = """
        INSERT INTO "LedgerAccounts" ("Key", "Kind", "Currency", "MerchantId", "Provider", "Balance")
        VALUES (@key, @kind, @currency, @merchantId, @provider, @amount)
        ON CONFLICT ("Key") DO UPDATE SET "Balance" = "LedgerAccounts"."Balance" + excluded."Balance"
        RETURNING "Id"
        """;

    public async Task<LedgerTransactionRecord> PostAsync(
        PortalDbContext db, LedgerTransaction transaction, string? merchantId, long? cashoutId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ledger postings must run inside the database transaction of the change that causes them.");
        }

        var accounts = new long[transaction.Entries.Count];
        foreach (var i in MerchantsFirst(transaction.Entries))
        {
            accounts[i] = await ApplyAsync(db, transaction.Entries[i], cancellationToken) ?? throw new InsufficientFundsException(transaction.Entries[i].Account);
        }

        var record = new LedgerTransactionRecord(transaction, time.GetUtcNow(), merchantId, cashoutId);
        await db.InsertAsync(record, cancellationToken);
        for (var i = 0; i < accounts.Length; i++)
        {
            var written = new LedgerEntryRecord(record.Id, accounts[i], transaction.Entries[i].Amount);
            await db.InsertAsync(written, cancellationToken);
            record.Entries.Add(written);
        }

        return record;
    }

    /// <summary>
    /// The entries' order of writing: the merchant's own accounts first (the merchant's lock keeps them to one
    /// transaction anyway), then the accounts every cashout shares (provider clearing, fee revenue) in the order of their
    /// keys. On PostgreSQL a shared account's row stays locked from its update until the commit, so it is taken as late
    /// as it can be, and always in one order (no two postings wait for each other's).
    /// </summary>
    private static IEnumerable<int> MerchantsFirst(IReadOnlyList<LedgerEntry> entries) =>
        Enumerable.Range(0, entries.Count) // a stable sort: the merchant's accounts ("") keep their order
            .OrderBy(i => entries[i].Account.Kind.IsMerchantAccount() ? "" : entries[i].Account.ToString(), StringComparer.Ordinal);

    /// <summary>The entry's amount added to its account's balance; the account's id, or null when a debit is not covered.</summary>
    private static async Task<long?> ApplyAsync(PortalDbContext db, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var key = entry.Account;
        var debitMustBeCovered = key.MustStayNonNegative && entry.Amount < 0;
        await using var command = db.CreateCommand(debitMustBeCovered ? DebitCoveredSql : AddSql);
        command.AddParameter("amount", entry.Amount);
        command.AddParameter("key", key.ToString());
        if (!debitMustBeCovered)
        {
            command.AddParameter("kind", key.Kind.ToString());
            command.AddParameter("currency", key.Currency.Code);
            command.AddParameter("merchantId", key.MerchantId);
            command.AddParameter("provider", key.Provider?.ToString());
        }

        return await command.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
