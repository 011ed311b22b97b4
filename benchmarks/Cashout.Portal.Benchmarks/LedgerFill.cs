using System.Globalization;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// Fills the ledger fast for the balance benchmarks: raw SQL with prepared statements in one transaction,
/// bypassing LedgerWriter (a million postings through it would take many minutes), but writing the same rows it
/// writes: two-entry transactions that sum to zero, and running balances equal to the sum of each account's entries.
/// </summary>
/// <remarks>
/// Every merchant repeats the cycle sale-to-pending 25.00, settlement 25.00, sale-to-available 10.00, so no
/// non-negative account ever goes below zero. Every tenth transaction is the measured merchant's, so its own
/// history grows with the ledger (100,000 of the 1,000,000 entries); the rest go round-robin to other merchants.
/// </remarks>
public static class LedgerFill
{
    public const int OtherMerchants = 1_000;

    private static readonly Currency Usd = Currency.USD;

    public static async Task FillAsync(string databasePath, string measuredMerchantId, int entryCount)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, ForeignKeys = true }.ToString());
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: false);

        var accountIds = new Dictionary<LedgerAccountKey, long>();
        var balances = new Dictionary<long, long>();
        long AccountId(LedgerAccountKey key)
        {
            if (!accountIds.TryGetValue(key, out var id))
            {
                id = accountIds.Count + 1;
                accountIds.Add(key, id);
                balances.Add(id, 0);
            }

            return id;
        }

        await using var insertTransaction = Command(connection, transaction,
            "INSERT INTO LedgerTransactions (Id, Kind, Description, PostedAt, MerchantId, CashoutId) VALUES ($id, $kind, $description, $postedAt, $merchantId, NULL)",
            "$id", "$kind", "$description", "$postedAt", "$merchantId");
        await using var insertEntry = Command(connection, transaction,
            "INSERT INTO LedgerEntries (Id, TransactionId, AccountId, Amount) VALUES ($id, $transactionId, $accountId, $amount)",
            "$id", "$transactionId", "$accountId", "$amount");

        // Accounts first (entries reference them), with placeholder balances set at the end.
        var merchants = new[] { measuredMerchantId }
            .Concat(Enumerable.Range(1, OtherMerchants).Select(i => "bench-merchant-" + i.ToString("D4", CultureInfo.InvariantCulture)))
            .ToArray();
        foreach (var merchant in merchants)
        {
            AccountId(LedgerAccountKey.MerchantPending(merchant, Usd));
            AccountId(LedgerAccountKey.MerchantAvailable(merchant, Usd));
        }

        AccountId(LedgerAccountKey.ExternalFunding(Usd));
        await using (var insertAccount = Command(connection, transaction,
            "INSERT INTO LedgerAccounts (Id, Key, Kind, Currency, MerchantId, Provider, Balance) VALUES ($id, $key, $kind, $currency, $merchantId, NULL, 0)",
            "$id", "$key", "$kind", "$currency", "$merchantId"))
        {
            foreach (var (key, id) in accountIds)
            {
                await ExecuteAsync(insertAccount, id, key.ToString(), key.Kind.ToString(), key.Currency.Code, (object?)key.MerchantId ?? DBNull.Value);
            }
        }

        var cycleStep = new Dictionary<string, int>();
        var postedAt = DateTimeOffset.UtcNow.AddDays(-365).ToUnixTimeMilliseconds();
        long entryId = 0;
        var otherTransactions = 0;
        var transactionCount = entryCount / 2;
        for (long transactionId = 1; transactionId <= transactionCount; transactionId++)
        {
            var merchant = transactionId % 10 == 1 ? measuredMerchantId : merchants[1 + (otherTransactions++ % OtherMerchants)];
            var step = cycleStep.GetValueOrDefault(merchant);
            cycleStep[merchant] = (step + 1) % 3;
            var posting = step switch
            {
                0 => LedgerPostings.FundToPending(merchant, Money.Of(2_500, Usd), "Benchmark sale"),
                1 => LedgerPostings.Settle(merchant, Money.Of(2_500, Usd)),
                _ => LedgerPostings.FundToAvailable(merchant, Money.Of(1_000, Usd), "Benchmark sale"),
            };

            await ExecuteAsync(insertTransaction, transactionId, posting.Kind.ToString(), posting.Description, postedAt + transactionId, merchant);
            foreach (var entry in posting.Entries)
            {
                var accountId = AccountId(entry.Account);
                balances[accountId] += entry.Amount;
                await ExecuteAsync(insertEntry, ++entryId, transactionId, accountId, entry.Amount);
            }
        }

        await using (var setBalance = Command(connection, transaction, "UPDATE LedgerAccounts SET Balance = $balance WHERE Id = $id", "$balance", "$id"))
        {
            foreach (var (id, balance) in balances)
            {
                await ExecuteAsync(setBalance, balance, id);
            }
        }

        await transaction.CommitAsync();
        await CheckAsync(connection, entryId);
    }

    /// <summary>Fails the setup unless the ledger holds the entries asked for and every running balance equals the sum of its entries.</summary>
    private static async Task CheckAsync(SqliteConnection connection, long expectedEntries)
    {
        await using var count = connection.CreateCommand();
        count.CommandText = """
            SELECT (SELECT COUNT(*) FROM LedgerEntries),
                   (SELECT COUNT(*) FROM LedgerAccounts a
                    WHERE a.Balance <> (SELECT COALESCE(SUM(e.Amount), 0) FROM LedgerEntries e WHERE e.AccountId = a.Id)),
                   (SELECT SUM(Balance) FROM LedgerAccounts)
            """;
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (entries, inconsistent, total) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        if (entries != expectedEntries || inconsistent != 0 || total != 0)
        {
            throw new InvalidOperationException($"Ledger fill is wrong: {entries} entries (expected {expectedEntries}), {inconsistent} accounts off their entries, balances sum to {total}.");
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static Task<int> ExecuteAsync(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command.ExecuteNonQueryAsync();
    }
}
