using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.IntegrationTests.Infrastructure;
using System.Data.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// What the database refuses on its own, whatever code talks to it (raw SQL here), and proof that the verifier
/// run after every money test does catch tampering that the database cannot see. On SQLite and on PostgreSQL: the
/// SQL names are quoted, as both read them.
/// </summary>
public sealed class DatabaseEnforcementTests : MoneyTest
{
    [Theory]
    [InlineData("available")]
    [InlineData("pending")]
    [InlineData("reserved")]
    public async Task Raw_update_making_a_merchant_balance_negative_fails_on_the_check_constraint(string kind)
    {
        await LinkPayoneerAsync();
        await RequestAsync(100_000);
        var key = $"merchant:{MerchantId}:{kind}:USD";
        var before = await SnapshotAsync();

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync($"UPDATE \"LedgerAccounts\" SET \"Balance\" = -1 WHERE \"Key\" = '{key}'"));

        Assert.True(DatabaseErrors.IsConstraintViolation(refused), refused.Message);
        Assert.Contains("CK_LedgerAccounts_NonNegative", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Raw_update_making_a_platform_account_negative_is_allowed_because_only_merchant_balances_must_stay_non_negative()
    {
        // External funding is negative by design (sales coming in); the constraint must not refuse it.
        var external = await AccountBalanceAsync(LedgerAccountKey.ExternalFunding(Currency.USD));
        Assert.Equal(-(MerchantAvailable + MerchantPending), external);

        Assert.Equal(1, await ExecuteAsync("""UPDATE "LedgerAccounts" SET "Balance" = "Balance" - 1 WHERE "Key" = 'external-funding:USD'"""));
        Assert.Equal(1, await ExecuteAsync("""UPDATE "LedgerAccounts" SET "Balance" = "Balance" + 1 WHERE "Key" = 'external-funding:USD'"""));
    }

    [Theory]
    [InlineData("""UPDATE "LedgerEntries" SET "Amount" = "Amount" + 1""", "ledger entries are append-only")]
    [InlineData("DELETE FROM \"LedgerEntries\"", "ledger entries are append-only")]
    [InlineData("""UPDATE "LedgerTransactions" SET "Description" = 'edited'""", "ledger transactions are append-only")]
    [InlineData("DELETE FROM \"LedgerTransactions\"", "ledger transactions are append-only")]
    public async Task Changing_or_removing_posted_ledger_rows_fails_on_the_append_only_triggers(string sql, string message)
    {
        await LinkPayoneerAsync();
        await RequestAsync(100_000);
        var before = await SnapshotAsync();

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(sql));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Raw_insert_of_a_second_pending_cashout_fails_on_the_one_awaiting_cashout_index()
    {
        await LinkPayoneerAsync();
        var pending = await RequestAsync(100_000);

        const string columns = """
            "MerchantId", "Method", "FeeSemantics", "Quote", "PayeeReference", "CreatedAt", "UpdatedAt", "HoldReason", "HeldBy",
            "ProviderReference", "RejectionCode", "RejectionReason", "CompletedAt", "ReversibleUntil", "Version", "AmountCurrency",
            "Amount", "DebitCurrency", "Debit", "FeeCurrency", "Fee", "NetPayoutCurrency", "NetPayout"
            """;
        var refused = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(
            $"""INSERT INTO "Cashouts" ("Status", {columns}) SELECT 'OnHold', {columns} FROM "Cashouts" WHERE "Id" = {pending.Id}"""));

        Assert.True(DatabaseErrors.IsConstraintViolation(refused), refused.Message);
        Assert.Contains(await OneAwaitingIndexAsync(), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifier_reports_a_ledger_transaction_that_has_no_entries()
    {
        await ExecuteAsync("""INSERT INTO "LedgerTransactions" ("Kind", "Description", "PostedAt") VALUES ('Settle', 'Forged', 0)""");

        var violation = Assert.Single(await VerifyLedgerAsync());

        Assert.Equal(LedgerInvariant.TransactionBalances, violation.Invariant);
        Assert.Contains("at least two entries, found 0", violation.Description, StringComparison.Ordinal);

        // The ledger is append-only; only a test may lift that, to clean up after itself.
        await LiftAppendOnlyAsync("LedgerTransactions");
        await ExecuteAsync("""DELETE FROM "LedgerTransactions" WHERE "Description" = 'Forged'""");
    }

    [Fact]
    public async Task Verifier_reports_the_account_when_a_running_balance_is_tampered_with_directly()
    {
        var key = LedgerAccountKey.MerchantAvailable(MerchantId, Currency.USD);
        Assert.Empty(await VerifyLedgerAsync());

        await ExecuteAsync($"""UPDATE "LedgerAccounts" SET "Balance" = "Balance" + 1 WHERE "Key" = '{key}'""");

        var violations = await VerifyLedgerAsync();
        Assert.Equal(
            [LedgerInvariant.RunningBalanceMatchesEntries, LedgerInvariant.CurrencyTotalIsZero],
            violations.Select(v => v.Invariant).Order());
        Assert.Contains(violations, v => v.Description.Contains(key.ToString(), StringComparison.Ordinal) && v.Description.Contains("running balance 500001", StringComparison.Ordinal));

        // Put the cent back: the verifier after the test must then pass again.
        await ExecuteAsync($"""UPDATE "LedgerAccounts" SET "Balance" = "Balance" - 1 WHERE "Key" = '{key}'""");
        Assert.Empty(await VerifyLedgerAsync());
    }

    [Fact]
    public async Task Verifier_reports_the_reservation_when_a_cashout_status_is_changed_without_its_posting()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(100_000);

        await ExecuteAsync($"""UPDATE "Cashouts" SET "Status" = 'Cancelled' WHERE "Id" = {cashout.Id}""");

        var violation = Assert.Single(await VerifyLedgerAsync());
        Assert.Equal(LedgerInvariant.ReservedMatchesCashouts, violation.Invariant);
        Assert.Contains("holds 100000", violation.Description, StringComparison.Ordinal);

        await ExecuteAsync($"""UPDATE "Cashouts" SET "Status" = '{CashoutStatus.Pending}' WHERE "Id" = {cashout.Id}""");
        Assert.Empty(await VerifyLedgerAsync());
    }

    [Fact]
    public async Task Verifier_reports_a_transaction_on_a_merchants_account_that_does_not_name_the_merchant()
    {
        // The balance chart finds a merchant's movements through the transactions that name it (GetBalanceHistory).
        await LiftAppendOnlyAsync("LedgerTransactions");
        var funding = await Portal.WithDbAsync(db => db.LedgerTransactions.Where(t => t.MerchantId == MerchantId).Select(t => t.Id).FirstAsync());
        await ExecuteAsync($"""UPDATE "LedgerTransactions" SET "MerchantId" = NULL WHERE "Id" = {funding}""");

        var violation = Assert.Single(await VerifyLedgerAsync());
        Assert.Equal(LedgerInvariant.TransactionNamesItsMerchant, violation.Invariant);
        Assert.Contains($"transaction {funding} moves merchant:{MerchantId}", violation.Description, StringComparison.Ordinal);

        await ExecuteAsync($"""UPDATE "LedgerTransactions" SET "MerchantId" = '{MerchantId}' WHERE "Id" = {funding}""");
        Assert.Empty(await VerifyLedgerAsync());
    }

    private Task<int> ExecuteAsync(string sql) => Portal.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql));

    /// <summary>The ledger is append-only; only a test may lift that, to tamper or to clean up after itself.</summary>
    private Task LiftAppendOnlyAsync(string table) => Portal.WithDbAsync(db =>
    {
        var sql = db.Database.IsSqlite()
            ? $"""DROP TRIGGER "{table}_AppendOnly_Update"; DROP TRIGGER "{table}_AppendOnly_Delete";"""
            : $"""DROP TRIGGER "{table}_AppendOnly" ON "{table}";""";
        return db.Database.ExecuteSqlRawAsync(sql);
    });

    /// <summary>How the engine names the one-awaiting-cashout index in a refusal: SQLite by its column, PostgreSQL by its name.</summary>
    private Task<string> OneAwaitingIndexAsync() => Portal.WithDbAsync(db => Task.FromResult(db.Database.IsSqlite()
        ? "UNIQUE constraint failed: Cashouts.MerchantId"
        : "IX_Cashouts_OneAwaitingPerMerchant"));
}
