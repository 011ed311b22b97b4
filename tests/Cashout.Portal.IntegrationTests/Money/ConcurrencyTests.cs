using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// Many writers at once on one real SQLite file: each call is its own DI scope, its own connection and its own
/// database transaction, started together with Task.WhenAll. Whatever the interleaving, at most one cashout
/// awaits submission per merchant, no balance goes negative, and each transition applies once.
/// </summary>
public sealed class ConcurrencyTests : MoneyTest
{
    [Fact]
    public async Task Fifty_concurrent_requests_create_exactly_one_cashout_when_one_merchant_submits_them_at_once()
    {
        await LinkPayoneerAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => TryRequestAsync(300_000))));

        var created = Assert.Single(outcomes, o => o.Status == CommandStatus.Succeeded);
        Assert.All(outcomes.Where(o => o != created), o => Assert.Equal((CommandStatus.Refused, "Pending cashout exists"), (o.Status, o.Decline?.Message)));
        Assert.Equal(1, await Portal.WithDbAsync(db => db.Cashouts.CountAsync()));
        Assert.Equal(49, await Portal.WithDbAsync(db => db.DeclinedAttempts.CountAsync()));
        var balances = await BalancesAsync();
        Assert.Equal(new UsdBalances(200_000, MerchantPending, 300_000), balances);
        Assert.Equal(MerchantAvailable, balances.Available + balances.Reserved);
    }

    [Fact]
    public async Task Concurrent_requests_give_each_merchant_its_own_single_cashout_when_several_merchants_submit_at_once()
    {
        var merchants = new List<string> { MerchantId };
        await LinkPayoneerAsync();
        for (var i = 0; i < 4; i++)
        {
            merchants.Add(await CreateFundedMerchantAsync($"concurrent{i}@cashout.test", 150_000));
        }

        var requests = merchants.SelectMany(merchant => Enumerable.Range(0, 10).Select(_ => (merchant, Task.Run(() => TryRequestAsync(100_000, merchantId: merchant)))));
        var outcomes = await Task.WhenAll(requests.Select(async r => (Merchant: r.merchant, Outcome: await r.Item2)));

        foreach (var merchant in merchants)
        {
            var created = Assert.Single(outcomes, o => o.Merchant == merchant && o.Outcome.Status == CommandStatus.Succeeded);
            Assert.Equal(merchant, created.Outcome.Cashout!.MerchantId);
            Assert.Equal(1, await Portal.WithDbAsync(db => db.Cashouts.CountAsync(c => c.MerchantId == merchant)));
            var balances = await BalancesAsync(merchant);
            Assert.Equal(100_000, balances.Reserved);
            Assert.Equal(merchant == MerchantId ? MerchantAvailable : 150_000, balances.Available + balances.Reserved);
        }
    }

    [Fact]
    public async Task Concurrent_reservations_succeed_only_while_they_fit_when_their_sum_exceeds_the_available_balance()
    {
        // 20 x 30000 = 600000 against 500000 available: 16 fit, 4 must be refused by the conditional update.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => ReserveDirectlyAsync(30_000))));

        Assert.Equal(16, results.Count(reserved => reserved));
        Assert.Equal(new UsdBalances(20_000, MerchantPending, 480_000), await BalancesAsync());
        Assert.Equal(16, await Portal.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == LedgerTransactionKind.ReserveForCashout)));

        // No cashout owns these reservations: give them back so the books balance for the verifier after the test.
        await PostAsync(LedgerPostings.ReleaseOnCancel(MerchantId, Usd(480_000)));
        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending, 0), await BalancesAsync());
    }

    [Fact]
    public async Task Concurrent_completions_apply_once_when_the_provider_confirms_one_cashout_several_times_at_once()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(100_000);
        AssertSucceeded(await SubmitAsync(cashout.Id));

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => CompleteAsync(cashout.Id))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => AssertRefused(r, CashoutErrors.InvalidTransitionCode));
        Assert.Equal(1, await LedgerTransactionCountAsync(cashout.Id, LedgerTransactionKind.CompleteCashout));
        Assert.Equal((98_000L, 2_000L), await PlatformBalancesAsync());
        Assert.Equal(new UsdBalances(400_000, MerchantPending, 0), await BalancesAsync());
    }

    [Fact]
    public async Task Exactly_one_of_cancel_and_submit_applies_when_the_merchant_cancels_as_the_submit_job_runs()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(100_000);

        var (cancelled, submitted) = (Task.Run(() => Use<CancelCashout, CommandResult>(c => c.HandleAsync(Merchant, cashout.Id, reason: null))), Task.Run(() => SubmitAsync(cashout.Id)));
        var results = await Task.WhenAll(cancelled, submitted);
        var (cancel, submit) = (results[0], results[1]);

        Assert.True(cancel.Succeeded ^ submit.Succeeded, $"cancel: {cancel}, submit: {submit}");
        var status = (await CashoutAsync(cashout.Id)).Status;
        Assert.Equal(cancel.Succeeded ? CashoutStatus.Cancelled : CashoutStatus.Processing, status);
        Assert.Equal(cancel.Succeeded ? 0 : 100_000, (await BalancesAsync()).Reserved);
    }

    [Fact]
    public async Task Saving_a_transition_read_at_a_stale_version_fails_when_another_transition_was_applied_meanwhile()
    {
        await LinkPayoneerAsync();
        var requested = await RequestAsync(100_000);
        AssertSucceeded(await SubmitAsync(requested.Id));
        await using var stale = await Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var staleCopy = await stale.Cashouts.SingleAsync(c => c.Id == requested.Id);

        AssertSucceeded(await CompleteAsync(requested.Id));
        var window = Portal.Services.GetRequiredService<IOptions<CashoutOptions>>().Value.ReversalWindow;
        Assert.True(staleCopy.Complete(ProviderWebhook, Portal.Clock.GetUtcNow(), window).IsSuccess);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
        var stored = await CashoutAsync(requested.Id);
        Assert.Equal((CashoutStatus.Completed, requested.Version + 2), (stored.Status, stored.Version));
    }

    [Fact]
    public async Task A_debit_of_an_account_never_opened_is_refused_as_insufficient_funds_and_writes_nothing()
    {
        // The merchant has USD accounts only: its EUR available does not exist, so nothing covers the debit. The writer
        // must answer like for any uncovered debit, not open the account below zero (or fail on the CHECK constraint).
        var before = await SnapshotAsync();

        var refused = await Assert.ThrowsAsync<InsufficientFundsException>(() => PostAsync(LedgerPostings.ReserveForCashout(MerchantId, Cashout.Domain.Monetary.Money.Of(100, Currency.EUR))));

        Assert.Equal(LedgerAccountKey.MerchantAvailable(MerchantId, Currency.EUR), refused.Account);
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>One reservation straight through the LedgerWriter, in its own context and transaction.</summary>
    private async Task<bool> ReserveDirectlyAsync(long cents)
    {
        try
        {
            await PostAsync(LedgerPostings.ReserveForCashout(MerchantId, Usd(cents)));
            return true;
        }
        catch (InsufficientFundsException refused)
        {
            Assert.Equal(LedgerAccountKey.MerchantAvailable(MerchantId, Currency.USD), refused.Account);
            return false;
        }
    }

    private async Task PostAsync(LedgerTransaction posting)
    {
        var writer = Portal.Services.GetRequiredService<LedgerWriter>();
        await using var db = await Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await writer.PostAsync(db, posting, MerchantId, cashoutId: null, CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}
