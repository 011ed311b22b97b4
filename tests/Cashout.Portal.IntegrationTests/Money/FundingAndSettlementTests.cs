using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Balances;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// FundMerchant (admins and the system credit sales to pending or available) and SettleDueFunds (the job that
/// moves due pending funds to available). The demo seed's $1,000.00 pending settles 7 days after start.
/// </summary>
public sealed class FundingAndSettlementTests : MoneyTest
{
    [Fact]
    public async Task Admin_funding_with_a_future_settlement_date_credits_pending_and_records_the_sale()
    {
        // Whole milliseconds, as stored.
        var settlesAt = DateTimeOffset.FromUnixTimeMilliseconds(Portal.Clock.GetUtcNow().AddDays(3).ToUnixTimeMilliseconds());

        AssertSucceeded(await FundAsync(Admin, 25_000, settlesAt));

        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending + 25_000, 0), await BalancesAsync());
        var sale = await Portal.WithDbAsync(db => db.PendingFundings.OrderByDescending(f => f.Id).FirstAsync());
        Assert.Equal((MerchantId, 25_000L, "USD", settlesAt, (DateTimeOffset?)null), (sale.MerchantId, sale.Amount, sale.Currency, sale.SettlesAt, sale.SettledAt));
        Assert.Equal(-(MerchantAvailable + MerchantPending + 25_000), await AccountBalanceAsync(LedgerAccountKey.ExternalFunding(Currency.USD)));
    }

    [Fact]
    public async Task Admin_funding_without_a_settlement_date_credits_available_at_once()
    {
        var pendingSales = await Portal.WithDbAsync(db => db.PendingFundings.CountAsync());

        AssertSucceeded(await FundAsync(Admin, 25_000, settlesAt: null));

        Assert.Equal(new UsdBalances(MerchantAvailable + 25_000, MerchantPending, 0), await BalancesAsync());
        Assert.Equal(pendingSales, await Portal.WithDbAsync(db => db.PendingFundings.CountAsync()));
    }

    [Fact]
    public async Task Admin_funding_with_a_settlement_date_already_passed_credits_available_at_once()
    {
        AssertSucceeded(await FundAsync(Admin, 25_000, Portal.Clock.GetUtcNow()));

        Assert.Equal(new UsdBalances(MerchantAvailable + 25_000, MerchantPending, 0), await BalancesAsync());
    }

    [Fact]
    public async Task Funding_is_forbidden_and_writes_nothing_when_a_merchant_calls_it()
    {
        var before = await SnapshotAsync();

        var result = await FundAsync(Merchant, 25_000, settlesAt: null);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(0L, "Sale", "invalid_amount")]
    [InlineData(-25_000L, "Sale", "invalid_amount")]
    [InlineData(Cashout.Domain.Monetary.Money.MaximumMinorUnits + 1, "Sale", "invalid_amount")]
    [InlineData(25_000L, "  ", "invalid_description")]
    public async Task Funding_is_refused_and_writes_nothing_when_the_input_is_invalid(long amount, string description, string code)
    {
        var before = await SnapshotAsync();

        var result = await Use<FundMerchant, CommandResult>(f => f.HandleAsync(Admin, new FundMerchantCommand(MerchantId, amount, Currency.USD, null, description)));

        AssertRefused(result, code);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Funding_answers_not_found_and_writes_nothing_when_the_account_is_not_a_merchant()
    {
        var before = await SnapshotAsync();

        var result = await Use<FundMerchant, CommandResult>(f => f.HandleAsync(Admin, new FundMerchantCommand(AdminId, 25_000, Currency.USD, null, "Sale")));

        Assert.Equal(CommandStatus.NotFound, result.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Settlement_moves_pending_funds_to_available_only_once_the_clock_reaches_the_settlement_date()
    {
        var sale = await Portal.WithDbAsync(db => db.PendingFundings.SingleAsync());

        Assert.Equal(0, await SettleAsync());
        Portal.Clock.Advance(sale.SettlesAt - Portal.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await SettleAsync());
        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending, 0), await BalancesAsync());

        Portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await SettleAsync());

        Assert.Equal(new UsdBalances(MerchantAvailable + MerchantPending, 0, 0), await BalancesAsync());
        Assert.NotNull((await Portal.WithDbAsync(db => db.PendingFundings.SingleAsync())).SettledAt);
    }

    [Fact]
    public async Task Settlement_settles_each_sale_once_when_the_job_runs_twice()
    {
        Portal.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, await SettleAsync());
        var afterFirst = await SnapshotAsync();

        Assert.Equal(0, await SettleAsync());

        Assert.Equal(afterFirst, await SnapshotAsync());
        Assert.Equal(1, await Portal.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == LedgerTransactionKind.Settle)));
    }

    [Fact]
    public async Task Concurrent_settlement_runs_settle_each_sale_once_when_they_overlap()
    {
        AssertSucceeded(await FundAsync(Admin, 25_000, Portal.Clock.GetUtcNow().AddDays(1)));
        Portal.Clock.Advance(TimeSpan.FromDays(8));

        var settled = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(SettleAsync)));

        Assert.Equal(2, settled.Sum());
        Assert.Equal(2, await Portal.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == LedgerTransactionKind.Settle)));
        Assert.Equal(new UsdBalances(MerchantAvailable + MerchantPending + 25_000, 0, 0), await BalancesAsync());
    }

    private Task<CommandResult> FundAsync(Caller caller, long amount, DateTimeOffset? settlesAt) =>
        Use<FundMerchant, CommandResult>(f => f.HandleAsync(caller, new FundMerchantCommand(MerchantId, amount, Currency.USD, settlesAt, "Test sale")));

    private Task<int> SettleAsync() => Use<SettleDueFunds, int>(s => s.HandleAsync());
}
