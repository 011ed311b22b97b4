using System.Diagnostics;
using System.Globalization;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// What SQLite itself allows for a cashout creation, below the use case: the statements one accepted request runs
/// (the rules' two reads, the cashout, the notifier's two reads, the reservation's two ledger statements, two timeline
/// events, the ledger transaction and its two entries, the stage email), one transaction each, on the portal's own
/// migrated schema with prepared merchants, no EF Core, beside the raw one-row commit loop of the same run. Twice,
/// alternating blocks: with each command prepared once and kept on one open connection, and with a new command per
/// statement (prepared at every run, as Microsoft.Data.Sqlite does for EF Core's commands). The SQL is this benchmark's
/// own, shaped as the use case's (docs/performance.md); run with <c>-- --creation-floor</c>.
/// </summary>
public static class CreationFloor
{
    private const int Creations = 6_000;
    private const int Block = 500;
    private static readonly Money Funds = Money.Of(100_000, Currency.USD);

    private static readonly string[] Statements =
    [
        """SELECT "Id", "Method", "PayeeEmail", "PayeeId", "LinkedAt" FROM "PaymentMethods" WHERE "MerchantId" = @m AND "UnlinkedAt" IS NULL""",
        """
        SELECT (SELECT "EmailConfirmed" FROM "AspNetUsers" WHERE "Id" = @m), (SELECT "Status" FROM "MerchantProfiles" WHERE "MerchantId" = @m),
            EXISTS (SELECT 1 FROM "Cashouts" WHERE "MerchantId" = @m AND "Status" IN ('Pending', 'OnHold')),
            (SELECT "CreatedAt" FROM "Cashouts" WHERE "MerchantId" = @m AND "Status" NOT IN ('Cancelled', 'Failed', 'Returned') ORDER BY "CreatedAt" DESC LIMIT 1),
            (SELECT "Balance" FROM "LedgerAccounts" WHERE "Key" = @available)
        """,
        """
        INSERT INTO "Cashouts" ("CreatedAt", "FeeSemantics", "MerchantId", "Method", "PayeeReference", "Quote", "Status", "UpdatedAt", "Version",
            "AmountCurrency", "Amount", "DebitCurrency", "Debit", "FeeCurrency", "Fee", "NetPayoutCurrency", "NetPayout")
        VALUES (@now, 'FeeTakenFromAmount', @m, 'Payoneer', @payee, @quote, 'Pending', @now, 1, 'USD', 10000, 'USD', 10000, 'USD', 200, 'USD', 9800) RETURNING "Id"
        """,
        """SELECT EXISTS (SELECT 1 FROM "WebhookEndpoints" WHERE "MerchantId" = @m)""",
        """SELECT "Email" FROM "AspNetUsers" WHERE "Id" = @m LIMIT 2""",
        """UPDATE "LedgerAccounts" SET "Balance" = "Balance" + @debit WHERE "Key" = @available AND "Balance" + @debit >= 0 RETURNING "Id" """,
        """
        INSERT INTO "LedgerAccounts" ("Key", "Kind", "Currency", "MerchantId", "Provider", "Balance") VALUES (@reserved, 'MerchantReserved', 'USD', @m, NULL, 10000)
        ON CONFLICT ("Key") DO UPDATE SET "Balance" = "LedgerAccounts"."Balance" + excluded."Balance" RETURNING "Id"
        """,
        """
        INSERT INTO "CashoutEvents" ("ActorId", "ActorKind", "At", "CashoutId", "Detail", "ToStatus", "Type")
        VALUES (@m, 'Merchant', @now, @cashout, @detail, 'Pending', 'StatusChanged') RETURNING "Id"
        """,
        """INSERT INTO "LedgerTransactions" ("CashoutId", "Description", "Kind", "MerchantId", "PostedAt") VALUES (@cashout, 'Cashout reserved', 'CashoutReserved', @m, @now) RETURNING "Id" """,
        """
        INSERT INTO "OutboxMessages" ("Attempts", "CreatedAt", "HtmlBody", "Kind", "NextAttemptAt", "Status", "Subject", "TextBody", "To")
        VALUES (0, @now, @html, 'CashoutStage', @now, 0, 'Your cashout request was received', @text, @email) RETURNING "Id"
        """,
        """INSERT INTO "LedgerEntries" ("AccountId", "Amount", "TransactionId") VALUES (@account, @amount, @transaction) RETURNING "Id" """,
    ];

    public static async Task RunAsync()
    {
        await using var portal = await BenchmarkPortal.StartAsync();
        var merchants = new Queue<string>(await BenchmarkMerchants.CreateAsync(portal, "floor", Creations, Funds));
        await portal.CheckpointAsync();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = portal.DatabasePath, Pooling = false }.ToString());
        connection.Open();

        var kept = new Writer(connection, keep: true);
        var fresh = new Writer(connection, keep: false);
        var keptTime = new Phases();
        var freshTime = new Phases();
        while (merchants.Count > 0)
        {
            var (writer, phases) = keptTime.Creations <= freshTime.Creations ? (kept, keptTime) : (fresh, freshTime);
            for (var i = 0; i < Block && merchants.TryDequeue(out var merchantId); i++)
            {
                writer.Create(merchantId, phases);
            }
        }

        var raw = RawSqliteCommits.PerSecond(TimeSpan.FromSeconds(5));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Cashout creation's statements on SQLite (WAL, FULL), one connection, no EF Core, {Creations:N0} creations in blocks of {Block} alternating:
            | statements | creations/s | statements ms | commit ms | over raw commits |
            |---|---:|---:|---:|---:|
            | prepared once, kept | {keptTime.PerSecond:F0} | {keptTime.StatementsMs:F3} | {keptTime.CommitMs:F3} | {keptTime.PerSecond / raw:F2} |
            | prepared at every run | {freshTime.PerSecond:F0} | {freshTime.StatementsMs:F3} | {freshTime.CommitMs:F3} | {freshTime.PerSecond / raw:F2} |
            | ceiling: raw SQLite one-row commits (WAL, FULL), same disk, same run | {raw:F0} | | | |
            """));
    }

    private sealed class Phases
    {
        public int Creations;
        public long Statements;
        public long Commits;

        public double StatementsMs => Stopwatch.GetElapsedTime(0, Statements).TotalMilliseconds / Creations;

        public double CommitMs => Stopwatch.GetElapsedTime(0, Commits).TotalMilliseconds / Creations;

        public double PerSecond => Creations / Stopwatch.GetElapsedTime(0, Statements + Commits).TotalSeconds;
    }

    /// <summary>Runs one creation's statements in a transaction, on commands kept prepared or made anew each time.</summary>
    private sealed class Writer(SqliteConnection connection, bool keep)
    {
        private static readonly string Quote = new('q', 850);
        private static readonly string Html = new('h', 1_180);
        private static readonly string Text = new('t', 360);
        private static readonly string Detail = new('d', 70);
        private readonly Dictionary<int, SqliteCommand> commands = [];

        public void Create(string merchantId, Phases phases)
        {
            var started = Stopwatch.GetTimestamp();
            using var transaction = connection.BeginTransaction(deferred: false);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var available = LedgerAccountKey.MerchantAvailable(merchantId, Currency.USD).ToString();
            Read(0, transaction, ("m", merchantId));
            Read(1, transaction, ("m", merchantId), ("available", available));
            var cashout = Scalar(2, transaction, ("m", merchantId), ("now", now), ("payee", "payee-" + merchantId), ("quote", Quote));
            Scalar(3, transaction, ("m", merchantId));
            var email = Scalar(4, transaction, ("m", merchantId));
            var debited = Scalar(5, transaction, ("debit", -10_000L), ("available", available))
                ?? throw new InvalidOperationException($"{merchantId} could not be debited.");
            var reserved = Scalar(6, transaction, ("reserved", LedgerAccountKey.MerchantReserved(merchantId, Currency.USD).ToString()), ("m", merchantId));
            Scalar(7, transaction, ("m", merchantId), ("now", now), ("cashout", cashout), ("detail", Detail));
            Scalar(7, transaction, ("m", merchantId), ("now", now), ("cashout", cashout), ("detail", Detail));
            var ledgerTransaction = Scalar(8, transaction, ("cashout", cashout), ("m", merchantId), ("now", now));
            Scalar(9, transaction, ("now", now), ("html", Html), ("text", Text), ("email", email));
            Scalar(10, transaction, ("account", debited), ("amount", -10_000L), ("transaction", ledgerTransaction));
            Scalar(10, transaction, ("account", reserved), ("amount", 10_000L), ("transaction", ledgerTransaction));
            var statementsDone = Stopwatch.GetTimestamp();
            transaction.Commit();
            phases.Statements += statementsDone - started;
            phases.Commits += Stopwatch.GetTimestamp() - statementsDone;
            phases.Creations++;
        }

        private void Read(int statement, SqliteTransaction transaction, params (string Name, object? Value)[] parameters)
        {
            var command = Command(statement, transaction, parameters);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                }
            }

            Done(command);
        }

        private object? Scalar(int statement, SqliteTransaction transaction, params (string Name, object? Value)[] parameters)
        {
            var command = Command(statement, transaction, parameters);
            var value = command.ExecuteScalar();
            Done(command);
            return value is DBNull ? null : value;
        }

        private SqliteCommand Command(int statement, SqliteTransaction transaction, (string Name, object? Value)[] parameters)
        {
            if (!keep || !commands.TryGetValue(statement, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = Statements[statement];
                foreach (var (name, _) in parameters)
                {
                    command.Parameters.Add(new SqliteParameter("@" + name, null));
                }

                if (keep)
                {
                    command.Prepare();
                    commands[statement] = command;
                }
            }

            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                command.Parameters["@" + name].Value = value ?? DBNull.Value;
            }

            return command;
        }

        private void Done(SqliteCommand command)
        {
            if (!keep)
            {
                command.Dispose();
            }
        }
    }
}
