using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// Every cashout transition through its use case, allowed and refused, with its ledger effect. The demo
/// merchant requests 100000 cents via payoneer (fee 2000, net 98000, debit 100000) before each test.
/// A refused transition must leave the database exactly as it was.
/// </summary>
public sealed class CashoutTransitionTests : MoneyTest
{
    private const long Debit = 100_000;
    private const long Fee = 2_000;
    private const long Net = 98_000;

    private static readonly UsdBalances Reserved = new(MerchantAvailable - Debit, MerchantPending, Debit);
    private static readonly UsdBalances Untouched = new(MerchantAvailable, MerchantPending, 0);
    private static readonly UsdBalances PaidOut = new(MerchantAvailable - Debit, MerchantPending, 0);

    private MerchantCashout cashout = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await LinkPayoneerAsync();
        cashout = await RequestAsync(Debit);
    }

    [Fact]
    public async Task Admin_hold_keeps_the_funds_reserved_and_records_the_reason_when_a_reason_is_given()
    {
        AssertSucceeded(await HoldAsync(Admin, " Unusual amount "));

        var held = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.OnHold, "Unusual amount", ActorKind.Admin), (held.Status, held.HoldReason, held.HeldBy));
        Assert.Equal(Reserved, await BalancesAsync());
        var change = await LastStatusChangeAsync();
        Assert.Equal((CashoutStatus.Pending, CashoutStatus.OnHold, ActorKind.Admin, AdminId, "Unusual amount"), (change.FromStatus, change.ToStatus, change.ActorKind, change.ActorId, change.Reason));
        Assert.Equal(1, await OutboxCountAsync("Cashout on hold"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Admin_hold_is_refused_and_writes_nothing_when_the_reason_is_blank(string reason)
    {
        await AssertNothingWrittenAsync(() => HoldAsync(Admin, reason), CashoutErrors.ReasonRequiredCode);

        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task Admin_release_returns_a_held_cashout_to_pending_with_the_funds_still_reserved()
    {
        AssertSucceeded(await HoldAsync(Admin, "Manual review"));

        AssertSucceeded(await ReleaseAsync(Admin));

        var released = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.Pending, null, null), (released.Status, released.HoldReason, released.HeldBy));
        Assert.Equal(Reserved, await BalancesAsync());
        Assert.Equal(1, await OutboxCountAsync("Cashout released"));
    }

    [Fact]
    public async Task Release_is_refused_and_writes_nothing_when_the_cashout_is_not_on_hold()
    {
        await AssertNothingWrittenAsync(() => ReleaseAsync(Admin), CashoutErrors.InvalidTransitionCode);
    }

    [Fact]
    public async Task Merchant_release_is_refused_and_writes_nothing_when_an_admin_placed_the_hold()
    {
        AssertSucceeded(await HoldAsync(Admin, "Manual review"));

        await AssertNothingWrittenAsync(() => ReleaseAsync(Merchant), CashoutErrors.HeldForReviewCode);

        Assert.Equal(CashoutStatus.OnHold, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task Merchant_may_hold_its_own_cashout_and_release_its_own_hold_when_it_is_pending()
    {
        AssertSucceeded(await HoldAsync(Merchant, "Waiting for our payee's confirmation"));
        var held = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.OnHold, ActorKind.Merchant), (held.Status, held.HeldBy));

        AssertSucceeded(await ReleaseAsync(Merchant));

        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(cashout.Id)).Status);
        Assert.Equal(Reserved, await BalancesAsync());
    }

    [Fact]
    public async Task Hold_is_not_found_and_writes_nothing_when_another_merchant_calls_it()
    {
        var before = await SnapshotAsync();

        Assert.Equal(CommandStatus.NotFound, (await HoldAsync(Caller.Merchant(NewcomerId), "Not mine")).Status);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Merchant_cancel_returns_the_debit_to_available_when_the_cashout_is_pending()
    {
        AssertSucceeded(await CancelAsync(Merchant, reason: null));

        Assert.Equal(CashoutStatus.Cancelled, (await CashoutAsync(cashout.Id)).Status);
        Assert.Equal(Untouched, await BalancesAsync());
        Assert.Equal(1, await LedgerTransactionCountAsync(cashout.Id, LedgerTransactionKind.ReleaseOnCancel));
        Assert.Equal(1, await OutboxCountAsync("Cashout cancelled"));
    }

    [Fact]
    public async Task Merchant_cancel_is_refused_and_writes_nothing_when_an_admin_holds_the_cashout()
    {
        AssertSucceeded(await HoldAsync(Admin, "Manual review"));

        await AssertNothingWrittenAsync(() => CancelAsync(Merchant, reason: null), CashoutErrors.HeldForReviewCode);
    }

    [Fact]
    public async Task Admin_cancel_of_a_held_cashout_returns_the_debit_when_a_reason_is_given()
    {
        AssertSucceeded(await HoldAsync(Admin, "Manual review"));
        await AssertNothingWrittenAsync(() => CancelAsync(Admin, reason: " "), CashoutErrors.ReasonRequiredCode);

        AssertSucceeded(await CancelAsync(Admin, "Suspected fraud"));

        var cancelled = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.Cancelled, null), (cancelled.Status, cancelled.HoldReason));
        Assert.Equal(Untouched, await BalancesAsync());
        var change = await LastStatusChangeAsync();
        Assert.Equal((CashoutStatus.OnHold, CashoutStatus.Cancelled, ActorKind.Admin, "Suspected fraud"), (change.FromStatus, change.ToStatus, change.ActorKind, change.Reason));
    }

    [Fact]
    public async Task Every_use_case_answers_not_found_and_writes_nothing_when_a_merchant_touches_another_merchants_cashout()
    {
        var other = Caller.Merchant(NewcomerId);
        var before = await SnapshotAsync();

        Assert.Equal(CommandStatus.NotFound, (await CancelAsync(other, reason: null)).Status);
        Assert.Equal(CommandStatus.NotFound, (await Use<CancelCashout, CommandResult>(c => c.HandleAsync(other, long.MaxValue, null))).Status);

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task Submit_keeps_the_funds_reserved_and_records_the_provider_reference()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));

        var processing = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.Processing, $"PO-{cashout.Id}"), (processing.Status, processing.ProviderReference));
        Assert.Equal(Reserved, await BalancesAsync());
        Assert.Equal((0L, 0L), await PlatformBalancesAsync());
    }

    [Fact]
    public async Task Complete_moves_the_reserved_debit_to_provider_clearing_and_fee_revenue_when_the_provider_confirms()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));

        AssertSucceeded(await CompleteAsync(cashout.Id));

        var completed = await CashoutAsync(cashout.Id);
        Assert.Equal(CashoutStatus.Completed, completed.Status);
        // Stored in whole milliseconds.
        Assert.Equal(Portal.Clock.GetUtcNow().AddDays(30).ToUnixTimeMilliseconds(), completed.ReversibleUntil?.ToUnixTimeMilliseconds());
        Assert.Equal(PaidOut, await BalancesAsync());
        Assert.Equal((Net, Fee), await PlatformBalancesAsync());
        Assert.Equal(1, await OutboxCountAsync("Cashout completed"));
    }

    [Fact]
    public async Task Fail_returns_amount_and_fee_to_available_with_the_provider_code_when_the_provider_rejects()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));

        AssertSucceeded(await Provider(p => p.FailAsync(ProviderWebhook, cashout.Id, "R01", "Payee account closed")));

        var failed = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.Failed, "R01", "Payee account closed"), (failed.Status, failed.RejectionCode, failed.RejectionReason));
        Assert.Equal(Untouched, await BalancesAsync());
        Assert.Equal((0L, 0L), await PlatformBalancesAsync());
        Assert.Equal(1, await LedgerTransactionCountAsync(cashout.Id, LedgerTransactionKind.ReleaseOnFail));
        Assert.Equal("R01", (await LastStatusChangeAsync()).ProviderCode);
    }

    [Fact]
    public async Task Return_gives_amount_and_fee_back_when_the_beneficiary_bank_returns_a_completed_payout()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));
        AssertSucceeded(await CompleteAsync(cashout.Id));
        Portal.Clock.Advance(TimeSpan.FromDays(29));

        AssertSucceeded(await Provider(p => p.ReturnAsync(ProviderWebhook, cashout.Id, "AC04", "Account closed")));

        var returned = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.Returned, "AC04"), (returned.Status, returned.RejectionCode));
        Assert.Equal(Untouched, await BalancesAsync());
        Assert.Equal((0L, 0L), await PlatformBalancesAsync());
    }

    [Fact]
    public async Task Return_is_refused_and_writes_nothing_when_the_reversal_window_has_closed()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));
        AssertSucceeded(await CompleteAsync(cashout.Id));
        Portal.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));

        await AssertNothingWrittenAsync(() => Provider(p => p.ReturnAsync(ProviderWebhook, cashout.Id, "AC04", "Account closed")), CashoutErrors.ReversalWindowClosedCode);

        Assert.Equal(PaidOut, await BalancesAsync());
    }

    [Fact]
    public async Task Cancel_is_refused_and_writes_nothing_when_the_cashout_is_processing()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));

        await AssertNothingWrittenAsync(() => CancelAsync(Merchant, reason: null), CashoutErrors.InvalidTransitionCode);
        await AssertNothingWrittenAsync(() => CancelAsync(Admin, "Too late"), CashoutErrors.InvalidTransitionCode);

        Assert.Equal(Reserved, await BalancesAsync());
    }

    [Fact]
    public async Task Completing_again_is_refused_and_posts_one_completion_when_the_provider_confirms_twice()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));
        AssertSucceeded(await CompleteAsync(cashout.Id));

        await AssertNothingWrittenAsync(() => CompleteAsync(cashout.Id), CashoutErrors.InvalidTransitionCode);
        await AssertNothingWrittenAsync(() => SubmitAsync(cashout.Id), CashoutErrors.InvalidTransitionCode);

        Assert.Equal(1, await LedgerTransactionCountAsync(cashout.Id, LedgerTransactionKind.CompleteCashout));
        Assert.Equal((Net, Fee), await PlatformBalancesAsync());
    }

    [Fact]
    public async Task Failing_a_completed_cashout_is_refused_and_writes_nothing_when_a_late_failure_arrives()
    {
        AssertSucceeded(await SubmitAsync(cashout.Id));
        AssertSucceeded(await CompleteAsync(cashout.Id));

        await AssertNothingWrittenAsync(() => Provider(p => p.FailAsync(ProviderWebhook, cashout.Id, "R01", "Late")), CashoutErrors.InvalidTransitionCode);

        Assert.Equal(PaidOut, await BalancesAsync());
    }

    [Fact]
    public async Task Provider_transitions_are_forbidden_and_write_nothing_when_a_merchant_or_admin_actor_calls_them()
    {
        var before = await SnapshotAsync();

        Assert.Equal(CommandStatus.Forbidden, (await Provider(p => p.SubmitAsync(Actor.Merchant(MerchantId), cashout.Id, "PO-1"))).Status);
        Assert.Equal(CommandStatus.Forbidden, (await Provider(p => p.SubmitAsync(Actor.Admin(AdminId), cashout.Id, "PO-1"))).Status);

        Assert.Equal(before, await SnapshotAsync());
    }

    private Task<CommandResult> HoldAsync(Caller caller, string reason) => Use<HoldCashout, CommandResult>(h => h.HandleAsync(caller, cashout.Id, reason));

    private Task<CommandResult> ReleaseAsync(Caller caller) => Use<ReleaseCashout, CommandResult>(r => r.HandleAsync(caller, cashout.Id));

    private Task<CommandResult> CancelAsync(Caller caller, string? reason) => Use<CancelCashout, CommandResult>(c => c.HandleAsync(caller, cashout.Id, reason));

    private async Task AssertNothingWrittenAsync(Func<Task<CommandResult>> transition, string code)
    {
        var before = await SnapshotAsync();
        var version = (await CashoutAsync(cashout.Id)).Version;

        AssertRefused(await transition(), code);

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(version, (await CashoutAsync(cashout.Id)).Version);
    }

    private Task<CashoutEvent> LastStatusChangeAsync() => Portal.WithDbAsync(db => db.CashoutEvents
        .Where(e => e.CashoutId == cashout.Id && e.Type == CashoutEventType.StatusChanged)
        .OrderByDescending(e => e.Id)
        .FirstAsync());

    private Task<int> OutboxCountAsync(string subjectStart) => Portal.WithDbAsync(db => db.OutboxMessages
        .CountAsync(m => m.To == "merchant@cashout.test" && m.Subject.StartsWith(subjectStart)));
}
