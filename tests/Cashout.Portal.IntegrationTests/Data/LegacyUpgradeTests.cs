using System.Text.Json;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Balances;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Ledger;
using Cashout.Portal.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// A database made by today's main (the SQL scripts and their <c>__SchemaVersions</c>), holding data, is upgraded in
/// place when the new app starts on it: every row stays as it was, the app reads it, and the database still refuses
/// what it refused before.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class LegacyUpgradeTests(LegacyUpgradeTests.UpgradedDatabase upgraded) : IClassFixture<LegacyUpgradeTests.UpgradedDatabase>
{
    private const int SqliteConstraint = 19;

    [Fact]
    public void Every_row_is_kept_when_the_app_starts_on_a_database_made_by_the_SQL_scripts()
    {
        var after = SqliteFile.Rows(upgraded.Path);

        // Later migrations may add tables (UserSessions); they start empty. Every table of before is still there.
        Assert.Empty(upgraded.RowsBefore.Keys.Except(after.Keys));
        Assert.All(after.Keys.Except(upgraded.RowsBefore.Keys), added => Assert.Empty(after[added]));
        foreach (var (table, rows) in upgraded.RowsBefore)
        {
            Assert.True(rows.SequenceEqual(after[table]), $"{table} changed.\nBefore:\n  {string.Join("\n  ", rows)}\nAfter:\n  {string.Join("\n  ", after[table])}");
        }

        // Every table the test data fills (all of them but the two identity tables the portal does not use).
        Assert.Equal(["AspNetRoleClaims", "AspNetUserLogins"], upgraded.RowsBefore.Where(t => t.Value.Count == 0).Select(t => t.Key));
    }

    [Fact]
    public async Task Upgraded_database_records_the_initial_migration_as_applied_and_is_at_the_latest()
    {
        var migrations = await upgraded.Portal.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));

        Assert.Equal(migrations, MigrationTests.AppliedMigrations(upgraded.Path));
        Assert.Equal(LegacySchemaAdoption.InitialMigrationId, migrations[0]);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], SqliteFile.Query(upgraded.Path, "SELECT Version FROM __SchemaVersions ORDER BY Version").Select(r => (long)r[0]));
    }

    [Fact]
    public async Task Upgraded_database_has_the_schema_of_a_fresh_one()
    {
        var fresh = System.IO.Path.Combine(upgraded.Portal.DataDirectory, "fresh.db");
        await using (var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={fresh};Pooling=False").Options))
        {
            await new DatabaseMigration(db, NullLogger<DatabaseMigration>.Instance).ApplyAsync();
        }

        MigrationTests.AssertSameSchema(SqliteFile.DescribeSchema(fresh), SqliteFile.DescribeSchema(upgraded.Path));
    }

    [Fact]
    public async Task App_reads_the_upgraded_data_through_its_model_and_the_books_balance()
    {
        Assert.Empty(await upgraded.Portal.UseAsync<LedgerVerifier, IReadOnlyList<InvariantViolation>>(verifier => verifier.VerifyAsync()));
        var balances = await upgraded.Portal.UseAsync<GetBalances, IReadOnlyList<MerchantBalance>>(b => b.HandleAsync(Caller.Merchant(UpgradedDatabase.MerchantId), UpgradedDatabase.MerchantId));
        Assert.Equal(new MerchantBalance(Currency.USD, Usd(400_000), Usd(50_000), Usd(100_000)), Assert.Single(balances));

        var cashout = await upgraded.Portal.WithDbAsync(db => db.Cashouts.SingleAsync());
        Assert.Equal((CashoutStatus.Pending, Usd(100_000), Usd(99_800)), (cashout.Status, cashout.Amount, cashout.NetPayout));
        Assert.Equal(UpgradedDatabase.Quote, cashout.Quote);

        // Each table's rows, materialised through the EF model: as many as the file holds.
        var counts = await upgraded.Portal.WithDbAsync(async db => new Dictionary<string, int>
        {
            ["AspNetUsers"] = (await db.Users.ToListAsync()).Count,
            ["AspNetRoles"] = (await db.Roles.ToListAsync()).Count,
            ["AspNetUserRoles"] = (await db.UserRoles.ToListAsync()).Count,
            ["AspNetUserClaims"] = (await db.UserClaims.ToListAsync()).Count,
            ["AspNetUserTokens"] = (await db.UserTokens.ToListAsync()).Count,
            ["MerchantProfiles"] = (await db.MerchantProfiles.ToListAsync()).Count,
            ["PaymentMethods"] = (await db.PaymentMethods.ToListAsync()).Count,
            ["PendingFundings"] = (await db.PendingFundings.ToListAsync()).Count,
            ["LedgerAccounts"] = (await db.LedgerAccounts.ToListAsync()).Count,
            ["LedgerTransactions"] = (await db.LedgerTransactions.ToListAsync()).Count,
            ["LedgerEntries"] = (await db.LedgerEntries.ToListAsync()).Count,
            ["Cashouts"] = (await db.Cashouts.ToListAsync()).Count,
            ["CashoutEvents"] = (await db.CashoutEvents.ToListAsync()).Count,
            ["DeclinedAttempts"] = (await db.DeclinedAttempts.ToListAsync()).Count,
            ["ProviderSubmissions"] = (await db.ProviderSubmissions.ToListAsync()).Count,
            ["ProviderWebhookReceipts"] = (await db.ProviderWebhookReceipts.ToListAsync()).Count,
            ["AuditEntries"] = (await db.AuditEntries.ToListAsync()).Count,
            ["OutboxMessages"] = (await db.OutboxMessages.ToListAsync()).Count,
            ["ApiCredentials"] = (await db.ApiCredentials.ToListAsync()).Count,
            ["BalanceAccounts"] = (await db.Set<BalanceAccount>().ToListAsync()).Count,
            ["IdempotencyRecords"] = (await db.Set<IdempotencyRecord>().ToListAsync()).Count,
            ["WebhookEndpoints"] = (await db.Set<WebhookEndpoint>().ToListAsync()).Count,
            ["WebhookDeliveries"] = (await db.WebhookDeliveries.ToListAsync()).Count,
            ["WebhookAttempts"] = (await db.Set<WebhookAttempt>().ToListAsync()).Count,
        });
        foreach (var (table, count) in counts)
        {
            Assert.True(upgraded.RowsBefore[table].Count == count, $"{table}: {upgraded.RowsBefore[table].Count} rows in the file, {count} through the model.");
        }
    }

    [Theory]
    [InlineData("UPDATE LedgerEntries SET Amount = Amount + 1", "ledger entries are append-only")]
    [InlineData("DELETE FROM LedgerEntries", "ledger entries are append-only")]
    [InlineData("UPDATE LedgerTransactions SET Description = 'edited'", "ledger transactions are append-only")]
    [InlineData("DELETE FROM LedgerTransactions", "ledger transactions are append-only")]
    [InlineData("UPDATE AuditEntries SET Summary = 'edited'", "audit entries are append-only")]
    [InlineData("DELETE FROM AuditEntries", "audit entries are append-only")]
    [InlineData("UPDATE LedgerAccounts SET Balance = -1 WHERE Kind = 'MerchantAvailable'", "CHECK constraint failed: CK_LedgerAccounts_NonNegative")]
    [InlineData(
        "INSERT INTO Cashouts (MerchantId, Method, FeeSemantics, Quote, PayeeReference, CreatedAt, UpdatedAt, Status, Version, AmountCurrency, Amount, DebitCurrency, Debit, FeeCurrency, Fee, NetPayoutCurrency, NetPayout) " +
        "SELECT MerchantId, Method, FeeSemantics, Quote, PayeeReference, CreatedAt, UpdatedAt, 'OnHold', 1, AmountCurrency, Amount, DebitCurrency, Debit, FeeCurrency, Fee, NetPayoutCurrency, NetPayout FROM Cashouts WHERE Status = 'Pending'",
        "UNIQUE constraint failed: Cashouts.MerchantId")]
    [InlineData(
        "INSERT INTO PaymentMethods (MerchantId, Method, PayeeEmail, SupportsInstant, LinkedAt) SELECT MerchantId, Method, 'other@example.test', 0, LinkedAt FROM PaymentMethods",
        "UNIQUE constraint failed: PaymentMethods.MerchantId, PaymentMethods.Method")]
    [InlineData(
        "INSERT INTO AuditEntries (Id, At, Category, Action, ActorKind, Summary, PreviousHash, Hash) SELECT 3, At, Category, Action, ActorKind, 'fork', PreviousHash, 'fork' FROM AuditEntries WHERE Id = 2",
        "UNIQUE constraint failed: AuditEntries.PreviousHash")]
    [InlineData("INSERT INTO LedgerEntries (TransactionId, AccountId, Amount) VALUES (1, 999, 1)", "FOREIGN KEY constraint failed")]
    public async Task Upgraded_database_still_refuses_what_the_SQL_scripts_made_it_refuse(string sql, string refusal)
    {
        var refused = await Assert.ThrowsAsync<SqliteException>(() => upgraded.Portal.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql)));

        Assert.Equal(SqliteConstraint, refused.SqliteErrorCode);
        Assert.Contains(refusal, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_made_by_only_some_of_the_scripts_is_refused_with_what_to_do()
    {
        var path = System.IO.Path.Combine(upgraded.Portal.DataDirectory, "script-3.db");
        LegacySchema.Create(path, throughVersion: 3);
        var tables = SqliteFile.Tables(path);

        await using var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new DatabaseMigration(db, NullLogger<DatabaseMigration>.Instance).ApplyAsync());

        Assert.Contains("SQL scripts 1, 2, 3; only a database at script 5", refused.Message, StringComparison.Ordinal);
        Assert.Equal(tables, SqliteFile.Tables(path));
    }

    private static Cashout.Domain.Monetary.Money Usd(long cents) => Cashout.Domain.Monetary.Money.Of(cents, Currency.USD);

    /// <summary>
    /// A database file made by the SQL scripts and filled through them with raw SQL, as the old app left it; then the
    /// new app (not seeding demo data) started on it. <see cref="RowsBefore"/> is every row before that start.
    /// </summary>
    public sealed class UpgradedDatabase : IAsyncLifetime
    {
        public const string MerchantId = "legacy-merchant";
        private const string AdminId = "legacy-admin";
        private const long At = 1_767_225_600_000; // 2026-01-01T00:00:00Z in Unix milliseconds, as the model stores times

        public static Quote Quote { get; } = new(
            PayoutMethod.Payoneer, FeeSemantics.FeeTakenFromAmount, Usd(100_000), Usd(200), Usd(99_800), Usd(100_000), Usd(5_000),
            DateTimeOffset.FromUnixTimeMilliseconds(At), DateTimeOffset.FromUnixTimeMilliseconds(At).AddDays(2), IsInstant: false);

        public PortalFactory Portal { get; } = new();

        public string Path => System.IO.Path.Combine(Portal.DataDirectory, "legacy.db");

        public SortedDictionary<string, List<string>> RowsBefore { get; private set; } = [];

        public Task InitializeAsync()
        {
            Directory.CreateDirectory(Portal.DataDirectory);
            LegacySchema.Create(Path);
            Fill();
            RowsBefore = SqliteFile.Rows(Path);
            _ = Portal.WithSetting("Database:Path", Path).WithSetting("Database:SeedDemoData", "false").Services;
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Portal.DisposeAsync();

        /// <summary>
        /// A verified merchant with a linked Payoneer account, 5,000.00 funded and 500.00 on its way, a pending
        /// 1,000.00 cashout whose first submission failed, a declined attempt, an API credential with its webhooks,
        /// an admin with an authenticator, the audit log and the email outbox. The ledger balances.
        /// </summary>
        private void Fill()
        {
            using var connection = new SqliteConnection($"Data Source={Path};Foreign Keys=True;Pooling=False");
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$quote", JsonSerializer.Serialize(Quote, PortalJson.Options));
            command.CommandText = $$"""
                INSERT INTO AspNetRoles (Id, Name, NormalizedName, ConcurrencyStamp) VALUES
                    ('role-merchant', 'Merchant', 'MERCHANT', 'stamp-m'), ('role-admin', 'Admin', 'ADMIN', 'stamp-a');
                INSERT INTO AspNetUsers (Id, CreatedAt, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed, PasswordHash, SecurityStamp,
                        ConcurrencyStamp, PhoneNumber, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnd, LockoutEnabled, AccessFailedCount) VALUES
                    ('{{MerchantId}}', {{At}}, 'shop@example.test', 'SHOP@EXAMPLE.TEST', 'shop@example.test', 'SHOP@EXAMPLE.TEST', 1, 'AQAAAAIAAYagAAAAEHash', 'SECSTAMP1',
                        'conc-1', NULL, 0, 0, NULL, 1, 0),
                    ('{{AdminId}}', {{At}}, 'ops@example.test', 'OPS@EXAMPLE.TEST', 'ops@example.test', 'OPS@EXAMPLE.TEST', 1, 'AQAAAAIAAYagAAAAEHash2', 'SECSTAMP2',
                        'conc-2', '+44 20 7946 0001', 1, 1, {{At + 60_000}}, 1, 2);
                INSERT INTO AspNetUserRoles (UserId, RoleId) VALUES ('{{MerchantId}}', 'role-merchant'), ('{{AdminId}}', 'role-admin');
                INSERT INTO AspNetUserClaims (UserId, ClaimType, ClaimValue) VALUES ('{{AdminId}}', 'amr', 'mfa');
                INSERT INTO AspNetUserTokens (UserId, LoginProvider, Name, Value) VALUES ('{{AdminId}}', '[AspNetUserStore]', 'AuthenticatorKey', 'JBSWY3DPEHPK3PXP');
                INSERT INTO MerchantProfiles (MerchantId, Status, CreatedAt, ReviewedAt, ReviewedBy, RejectionReason, LegalName, Country, ContactName, ContactPhone,
                        ContactEmail, SubmittedAt) VALUES
                    ('{{MerchantId}}', 'Approved', {{At}}, {{At + 7_200_000}}, '{{AdminId}}', NULL, 'Legacy Shop Ltd', 'GB', 'Ann Smith', '+44 20 7946 0000',
                        'ann@example.test', {{At + 3_600_000}});
                INSERT INTO PaymentMethods (MerchantId, Method, PayeeEmail, PayeeId, SupportsInstant, LinkedAt, UnlinkedAt) VALUES
                    ('{{MerchantId}}', 'Payoneer', 'payee@example.test', 'PAYEE-1', 0, {{At + 8_000_000}}, NULL);
                INSERT INTO PaymentMethods (MerchantId, Method, BankHolderName, BankIban, BankCountry, BankCurrency, TransferInstrumentId, SupportsInstant, LinkedAt, UnlinkedAt) VALUES
                    ('{{MerchantId}}', 'Bank', 'Legacy Shop Ltd', 'GB33BUKB20201555555555', 'GB', 'USD', 'TI-1', 1, {{At + 8_000_000}}, {{At + 9_000_000}});
                INSERT INTO LedgerAccounts (Id, Key, Kind, Currency, MerchantId, Provider, Balance) VALUES
                    (1, 'external-funding:USD', 'ExternalFunding', 'USD', NULL, NULL, -550000),
                    (2, 'merchant:{{MerchantId}}:available:USD', 'MerchantAvailable', 'USD', '{{MerchantId}}', NULL, 400000),
                    (3, 'merchant:{{MerchantId}}:reserved:USD', 'MerchantReserved', 'USD', '{{MerchantId}}', NULL, 100000),
                    (4, 'merchant:{{MerchantId}}:pending:USD', 'MerchantPending', 'USD', '{{MerchantId}}', NULL, 50000);
                INSERT INTO Cashouts (Id, MerchantId, Method, FeeSemantics, Quote, PayeeReference, ExternalId, CreatedAt, UpdatedAt, Status, Version,
                        AmountCurrency, Amount, DebitCurrency, Debit, FeeCurrency, Fee, NetPayoutCurrency, NetPayout) VALUES
                    (1, '{{MerchantId}}', 'Payoneer', 'FeeTakenFromAmount', $quote, 'payee@example.test', 'order-42', {{At + 10_000_000}}, {{At + 10_000_000}}, 'Pending', 1,
                        'USD', 100000, 'USD', 100000, 'USD', 200, 'USD', 99800);
                INSERT INTO LedgerTransactions (Id, Kind, Description, PostedAt, MerchantId, CashoutId) VALUES
                    (1, 'FundToAvailable', 'Sales payout', {{At + 9_500_000}}, '{{MerchantId}}', NULL),
                    (2, 'FundToPending', 'Sales, settling', {{At + 9_600_000}}, '{{MerchantId}}', NULL),
                    (3, 'ReserveForCashout', 'Cashout 1', {{At + 10_000_000}}, '{{MerchantId}}', 1);
                INSERT INTO LedgerEntries (TransactionId, AccountId, Amount) VALUES
                    (1, 1, -500000), (1, 2, 500000), (2, 1, -50000), (2, 4, 50000), (3, 2, -100000), (3, 3, 100000);
                INSERT INTO PendingFundings (MerchantId, Amount, Currency, Description, CreatedAt, SettlesAt, SettledAt) VALUES
                    ('{{MerchantId}}', 50000, 'USD', 'Sales, settling', {{At + 9_600_000}}, {{At + 400_000_000}}, NULL);
                INSERT INTO CashoutEvents (CashoutId, Type, At, FromStatus, ToStatus, ActorKind, ActorId, Reason, ProviderCode, Detail) VALUES
                    (1, 'StatusChanged', {{At + 10_000_000}}, NULL, 'Pending', 'Merchant', '{{MerchantId}}', NULL, NULL, NULL),
                    (1, 'EmailQueued', {{At + 10_000_000}}, NULL, NULL, 'System', 'email', NULL, NULL, 'cashout-requested');
                INSERT INTO ProviderSubmissions (CashoutId, Provider, IdempotencyKey, ProviderPayoutId, AcceptedAt, Attempts, NextAttemptAt, LastError, LastContactAt) VALUES
                    (1, 'Payoneer', 'cashout-1', NULL, NULL, 1, {{At + 10_060_000}}, 'provider timed out', {{At + 10_030_000}});
                INSERT INTO ProviderWebhookReceipts (Provider, WebhookId, EventType, CashoutId, ReceivedAt) VALUES
                    ('Payoneer', 'wh-1', 'payout.failed', 1, {{At + 10_040_000}});
                INSERT INTO DeclinedAttempts (MerchantId, Source, Method, Amount, Currency, Rule, Message, Detail, At) VALUES
                    ('{{MerchantId}}', 'Portal', 'Payoneer', 900000, 'USD', 'InsufficientBalance', 'Not enough available', 'available 400000', {{At + 10_100_000}});
                INSERT INTO AuditEntries (Id, At, Category, Action, ActorKind, ActorId, ActorName, IpAddress, SubjectType, SubjectId, Summary, Before, After, PreviousHash, Hash) VALUES
                    (1, {{At + 7_200_000}}, 'AdminAction', 'merchant.approve', 'Admin', '{{AdminId}}', 'ops@example.test', '127.0.0.1', 'Merchant', '{{MerchantId}}',
                        'Approved Legacy Shop Ltd', '{"status":"Submitted"}', '{"status":"Approved"}', '{{new string('0', 64)}}', '{{new string('a', 64)}}'),
                    (2, {{At + 7_300_000}}, 'SecurityEvent', 'signin', 'Admin', '{{AdminId}}', 'ops@example.test', '127.0.0.1', NULL, NULL,
                        'Signed in', NULL, NULL, '{{new string('a', 64)}}', '{{new string('b', 64)}}');
                INSERT INTO OutboxMessages ("To", Subject, HtmlBody, TextBody, Kind, CreatedAt, Status, Attempts, NextAttemptAt, SentAt, LastError) VALUES
                    ('shop@example.test', 'Your cashout is on its way', '<p>1,000.00</p>', '1,000.00', 'cashout-requested', {{At + 10_000_000}}, 1, 1, {{At + 10_000_000}}, {{At + 10_005_000}}, NULL),
                    ('ops@example.test', 'Merchant to review', '<p>Legacy</p>', 'Legacy', 'verification-submitted', {{At + 3_600_000}}, 2, 8, {{At + 3_600_000}}, NULL, 'mailbox unavailable');
                INSERT INTO ApiCredentials (MerchantId, Login, PassSalt, PassHash, ProtectedSignatureSecret, CreatedAt, RotatedAt) VALUES
                    ('{{MerchantId}}', 'ws_legacy', 'salt', 'hash', 'protected-secret', {{At}}, {{At}});
                INSERT INTO BalanceAccounts (Id, MerchantId, CreatedAt) VALUES ('BA00000000000000000000001', '{{MerchantId}}', {{At}});
                INSERT INTO IdempotencyRecords (MerchantId, Key, RequestHash, ResponseStatus, ResponseJson, ResponseHeaders, CreatedAt, ExpiresAt) VALUES
                    ('{{MerchantId}}', 'idem-1', 'request-hash', 201, '{"id":1}', NULL, {{At + 10_000_000}}, {{At + 96_400_000}});
                INSERT INTO WebhookEndpoints (MerchantId, Url, ProtectedSigningSecret, CreatedAt, UpdatedAt) VALUES
                    ('{{MerchantId}}', 'https://shop.example.test/hooks', 'protected-signing-secret', {{At}}, {{At}});
                INSERT INTO WebhookDeliveries (Id, MerchantId, EventType, Payload, CreatedAt, Status, Attempts, NextAttemptAt, LastResponseCode, LastError, DeliveredAt) VALUES
                    ('msg_legacy1', '{{MerchantId}}', 'balancePlatform.transfer.created', '{"id":"1"}', {{At + 10_000_000}}, 'Delivered', 2, {{At + 10_005_000}}, 200, NULL, {{At + 10_005_000}});
                INSERT INTO WebhookAttempts (DeliveryId, Number, At, ResponseCode, Error, DurationMs) VALUES
                    ('msg_legacy1', 1, {{At + 10_000_000}}, 503, 'Service Unavailable', 120), ('msg_legacy1', 2, {{At + 10_005_000}}, 200, NULL, 45);
                """;
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
