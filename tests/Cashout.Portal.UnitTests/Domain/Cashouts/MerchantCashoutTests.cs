using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.UnitTests.Domain.Support;

namespace Cashout.Portal.UnitTests.Domain.Cashouts;

public class MerchantCashoutTests
{
    private static readonly DateTimeOffset Later = Sample.Friday.AddHours(1);

    [Fact]
    public void Starts_pending_with_the_quotes_amounts_and_reserves_the_debit_when_created()
    {
        var quote = Sample.Quote(100_000);

        var created = MerchantCashout.Create(Sample.MerchantId, quote, "payee@example.com", Sample.Merchant, Sample.Friday, externalId: "ext-1").Value;

        var cashout = created.Cashout;
        Assert.Equal(CashoutStatus.Pending, cashout.Status);
        Assert.Equal(0, cashout.Version);
        Assert.Equal(Sample.MerchantId, cashout.MerchantId);
        Assert.Equal(PayoutMethod.Payoneer, cashout.Method);
        Assert.Equal(new Money(100_000, Currency.USD), cashout.Amount);
        Assert.Equal(new Money(2000, Currency.USD), cashout.Fee);
        Assert.Equal(new Money(98_000, Currency.USD), cashout.NetPayout);
        Assert.Equal(new Money(100_000, Currency.USD), cashout.Debit);
        Assert.Same(quote, cashout.Quote);
        Assert.Equal("payee@example.com", cashout.PayeeReference);
        Assert.Equal("ext-1", cashout.ExternalId);
        Assert.Equal(Sample.Friday, cashout.CreatedAt);

        Assert.Equal(CashoutEmailStage.Requested, created.Transition.Email);
        Assert.Equal(new CashoutTimelineEvent(null, CashoutStatus.Pending, Sample.Merchant, Sample.Friday, null, null), created.Transition.Event);
        Assert.Equal(LedgerTransactionKind.ReserveForCashout, created.Transition.Posting!.Kind);
        Assert.Contains(created.Transition.Posting.Entries, entry => entry.Account == LedgerAccountKey.MerchantReserved(Sample.MerchantId, Currency.USD) && entry.Amount == 100_000);
    }

    [Fact]
    public void Starts_on_hold_with_the_reason_and_sends_the_on_hold_email_when_created_with_a_hold()
    {
        var riskRule = Actor.System("risk-rule");

        var created = MerchantCashout.Create(Sample.MerchantId, Sample.Quote(), "payee@example.com", Sample.Merchant, Sample.Friday, initialHold: new InitialHold(riskRule, " Unusual amount ")).Value;

        Assert.Equal(CashoutStatus.OnHold, created.Cashout.Status);
        Assert.Equal("Unusual amount", created.Cashout.HoldReason);
        Assert.Equal(ActorKind.System, created.Cashout.HeldBy);
        Assert.Equal(CashoutEmailStage.OnHold, created.Transition.Email);
        Assert.Equal(new CashoutTimelineEvent(null, CashoutStatus.OnHold, riskRule, Sample.Friday, "Unusual amount", null), created.Transition.Event);
        Assert.Equal(LedgerTransactionKind.ReserveForCashout, created.Transition.Posting!.Kind);
    }

    [Fact]
    public void Refuses_creation_when_the_initial_hold_has_no_reason()
    {
        var result = MerchantCashout.Create(Sample.MerchantId, Sample.Quote(), "payee@example.com", Sample.Merchant, Sample.Friday, initialHold: new InitialHold(Sample.Merchant, " "));

        Assert.Equal(CashoutErrors.ReasonRequiredCode, result.Error.Code);
    }

    [Fact]
    public void Debits_amount_plus_fee_and_pays_the_amount_when_the_fee_is_on_top()
    {
        var cashout = Sample.NewCashout(100_000, FeeSemantics.FeeOnTop);

        Assert.Equal(new Money(102_000, Currency.USD), cashout.Debit);
        Assert.Equal(new Money(100_000, Currency.USD), cashout.NetPayout);
    }

    [Fact]
    public void Records_the_reason_and_who_held_it_when_put_on_hold()
    {
        var cashout = Sample.NewCashout();

        var transition = cashout.Hold(Sample.Admin, "  Documents needed ", Later).Value;

        Assert.Equal("Documents needed", cashout.HoldReason);
        Assert.Equal(ActorKind.Admin, cashout.HeldBy);
        Assert.Null(transition.Posting);
        Assert.Equal(CashoutEmailStage.OnHold, transition.Email);
        Assert.Equal(new CashoutTimelineEvent(CashoutStatus.Pending, CashoutStatus.OnHold, Sample.Admin, Later, "Documents needed", null), transition.Event);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Refuses_to_hold_when_no_reason_is_given(string reason)
    {
        var cashout = Sample.NewCashout();

        var result = cashout.Hold(Sample.Admin, reason, Later);

        Assert.Equal(CashoutErrors.ReasonRequiredCode, result.Error.Code);
        Assert.Equal("A reason is required to hold a cashout.", result.Error.Message);
        Assert.Equal(CashoutStatus.Pending, cashout.Status);
    }

    [Fact]
    public void Refuses_to_hold_when_the_actor_is_a_provider()
    {
        var result = Sample.NewCashout().Hold(Sample.Payoneer, "Because", Later);

        Assert.Equal(CashoutErrors.NotAllowedForActorCode, result.Error.Code);
    }

    [Fact]
    public void Clears_the_hold_and_sends_the_released_email_when_an_admin_releases()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.OnHold);

        var transition = cashout.Release(Sample.Admin, Later).Value;

        Assert.Null(cashout.HoldReason);
        Assert.Null(cashout.HeldBy);
        Assert.Null(transition.Posting);
        Assert.Equal(CashoutEmailStage.Released, transition.Email);
    }

    [Fact]
    public void Refuses_to_release_when_a_merchant_tries_to_lift_an_admins_hold()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.OnHold);

        var result = cashout.Release(Sample.Merchant, Later);

        Assert.Equal(CashoutErrors.HeldForReviewCode, result.Error.Code);
        Assert.Equal("This cashout was put on hold by an admin: only an admin can release or cancel it.", result.Error.Message);
        Assert.Equal(CashoutStatus.OnHold, cashout.Status);
    }

    [Fact]
    public void Releases_when_the_merchant_lifts_its_own_hold()
    {
        var cashout = Sample.NewCashout();
        cashout.Hold(Sample.Merchant, "Hold it while I check the payee", Later);

        var result = cashout.Release(Sample.Merchant, Later);

        Assert.True(result.IsSuccess);
        Assert.Equal(CashoutStatus.Pending, cashout.Status);
    }

    [Fact]
    public void Returns_the_debit_to_available_and_sends_the_cancelled_email_when_a_merchant_cancels_a_pending_cashout()
    {
        var cashout = Sample.NewCashout();

        var transition = cashout.Cancel(Sample.Merchant, null, Later).Value;

        Assert.Equal(CashoutStatus.Cancelled, cashout.Status);
        Assert.Equal(CashoutEmailStage.Cancelled, transition.Email);
        Assert.Equal(LedgerTransactionKind.ReleaseOnCancel, transition.Posting!.Kind);
        Assert.Contains(transition.Posting.Entries, entry => entry.Account == LedgerAccountKey.MerchantAvailable(Sample.MerchantId, Currency.USD) && entry.Amount == 100_000);
    }

    [Fact]
    public void Refuses_to_cancel_when_a_merchant_cancels_a_cashout_an_admin_put_on_hold()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.OnHold);

        var result = cashout.Cancel(Sample.Merchant, "Please", Later);

        Assert.Equal(CashoutErrors.HeldForReviewCode, result.Error.Code);
        Assert.Equal("This cashout was put on hold by an admin: only an admin can release or cancel it.", result.Error.Message);
        Assert.Equal(CashoutStatus.OnHold, cashout.Status);
        Assert.Equal("Risk review", cashout.HoldReason);
    }

    [Fact]
    public void Refuses_to_cancel_when_a_merchant_cancels_a_cashout_a_risk_rule_put_on_hold()
    {
        var cashout = Sample.NewCashout();
        Assert.True(cashout.Hold(Sample.SubmitJob, "Destination linked less than 24 hours ago", Later).IsSuccess);

        var result = cashout.Cancel(Sample.Merchant, null, Later);

        Assert.Equal(CashoutErrors.HeldForReviewCode, result.Error.Code);
        Assert.Equal("This cashout is on hold for review by a risk rule: only an admin can release or cancel it.", result.Error.Message);
        Assert.Equal(CashoutStatus.OnHold, cashout.Status);
    }

    [Fact]
    public void Cancels_and_returns_the_debit_when_the_merchant_cancels_a_hold_it_placed_itself()
    {
        var cashout = Sample.NewCashout();
        Assert.True(cashout.Hold(Sample.Merchant, "Put on hold by the merchant", Later).IsSuccess);

        var transition = cashout.Cancel(Sample.Merchant, null, Later).Value;

        Assert.Equal(CashoutStatus.Cancelled, cashout.Status);
        Assert.Null(cashout.HeldBy);
        Assert.Equal(CashoutEmailStage.Cancelled, transition.Email);
        Assert.Contains(transition.Posting!.Entries, e => e.Amount == cashout.Debit.MinorUnits);
    }

    [Fact]
    public void Cancels_with_the_reason_when_an_admin_cancels_a_cashout_on_hold()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.OnHold);

        var transition = cashout.Cancel(Sample.Admin, "Fraud suspected", Later).Value;

        Assert.Equal(CashoutStatus.Cancelled, cashout.Status);
        Assert.Null(cashout.HoldReason);
        Assert.Equal("Fraud suspected", transition.Event.Reason);
        Assert.Equal(LedgerTransactionKind.ReleaseOnCancel, transition.Posting!.Kind);
    }

    [Fact]
    public void Refuses_to_cancel_when_an_admin_gives_no_reason()
    {
        var result = Sample.NewCashout().Cancel(Sample.Admin, " ", Later);

        Assert.Equal("A reason is required to cancel a cashout.", result.Error.Message);
    }

    [Fact]
    public void Refuses_to_cancel_when_the_actor_is_a_job_or_provider()
    {
        Assert.Equal(CashoutErrors.NotAllowedForActorCode, Sample.NewCashout().Cancel(Sample.SubmitJob, "x", Later).Error.Code);
        Assert.Equal(CashoutErrors.NotAllowedForActorCode, Sample.NewCashout().Cancel(Sample.Payoneer, "x", Later).Error.Code);
    }

    [Fact]
    public void Records_the_provider_reference_and_sends_the_processing_email_when_submitted()
    {
        var cashout = Sample.NewCashout();

        var transition = cashout.Submit(Sample.SubmitJob, " PO-1 ", Later).Value;

        Assert.Equal("PO-1", cashout.ProviderReference);
        Assert.Null(transition.Posting);
        Assert.Equal(CashoutEmailStage.Processing, transition.Email);
    }

    [Fact]
    public void Refuses_to_submit_when_the_provider_reference_is_missing()
    {
        var cashout = Sample.NewCashout();

        var result = cashout.Submit(Sample.SubmitJob, "", Later);

        Assert.Equal(CashoutErrors.ProviderReferenceRequiredCode, result.Error.Code);
        Assert.Null(cashout.ProviderReference);
    }

    [Fact]
    public void Refuses_provider_side_transitions_when_the_actor_is_the_merchant()
    {
        Assert.Equal(CashoutErrors.NotAllowedForActorCode, Sample.NewCashout().Submit(Sample.Merchant, "PO-1", Later).Error.Code);
        Assert.Equal(CashoutErrors.NotAllowedForActorCode, Sample.CashoutIn(CashoutStatus.Processing).Complete(Sample.Merchant, Later, Sample.ReversalWindow).Error.Code);
        Assert.Equal(CashoutErrors.NotAllowedForActorCode, Sample.CashoutIn(CashoutStatus.Processing).Fail(Sample.Merchant, "1", "x", Later).Error.Code);
        Assert.Equal(CashoutErrors.NotAllowedForActorCode, Sample.CashoutIn(CashoutStatus.Completed).Return(Sample.Merchant, "1", "x", Later).Error.Code);
    }

    [Fact]
    public void Pays_the_provider_and_books_the_fee_and_opens_the_reversal_window_when_completed()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.Processing);

        var transition = cashout.Complete(Sample.Payoneer, Later, Sample.ReversalWindow).Value;

        Assert.Equal(Later, cashout.CompletedAt);
        Assert.Equal(Later + Sample.ReversalWindow, cashout.ReversibleUntil);
        Assert.Equal(CashoutEmailStage.Completed, transition.Email);
        Assert.Equal(
            [
                (LedgerAccountKey.MerchantReserved(Sample.MerchantId, Currency.USD), -100_000L),
                (LedgerAccountKey.ProviderClearing(PayoutMethod.Payoneer, Currency.USD), 98_000L),
                (LedgerAccountKey.PlatformFeeRevenue(Currency.USD), 2000L),
            ],
            transition.Posting!.Entries.Select(entry => (entry.Account, entry.Amount)));
    }

    [Fact]
    public void Pays_the_full_amount_to_the_provider_when_the_fee_was_on_top()
    {
        var cashout = Sample.NewCashout(100_000, FeeSemantics.FeeOnTop);
        cashout.Submit(Sample.SubmitJob, "PO-1", Later);

        var posting = cashout.Complete(Sample.Payoneer, Later, Sample.ReversalWindow).Value.Posting!;

        Assert.Contains(posting.Entries, entry => entry.Account.Kind == LedgerAccountKind.ProviderClearing && entry.Amount == 100_000);
        Assert.Contains(posting.Entries, entry => entry.Account.Kind == LedgerAccountKind.MerchantReserved && entry.Amount == -102_000);
    }

    [Fact]
    public void Records_the_rejection_and_refunds_amount_and_fee_when_the_provider_fails_it()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.Processing);

        var transition = cashout.Fail(Sample.Payoneer, "808", "ERROR_OTHER", Later).Value;

        Assert.Equal("808", cashout.RejectionCode);
        Assert.Equal("ERROR_OTHER", cashout.RejectionReason);
        Assert.Equal(CashoutEmailStage.Failed, transition.Email);
        Assert.Equal("808", transition.Event.ProviderCode);
        Assert.Equal("ERROR_OTHER", transition.Event.Reason);
        Assert.Equal(LedgerTransactionKind.ReleaseOnFail, transition.Posting!.Kind);
        Assert.Contains(transition.Posting.Entries, entry => entry.Account.Kind == LedgerAccountKind.MerchantAvailable && entry.Amount == 100_000);
    }

    [Theory]
    [InlineData("", "ERROR_OTHER")]
    [InlineData("808", " ")]
    public void Refuses_to_fail_when_the_rejection_code_or_reason_is_missing(string code, string reason)
    {
        var cashout = Sample.CashoutIn(CashoutStatus.Processing);

        var result = cashout.Fail(Sample.Payoneer, code, reason, Later);

        Assert.Equal(CashoutErrors.RejectionCodeRequiredCode, result.Error.Code);
        Assert.Equal(CashoutStatus.Processing, cashout.Status);
    }

    [Fact]
    public void Gives_amount_and_fee_back_when_returned_within_the_reversal_window()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.Completed);
        var lastMoment = cashout.ReversibleUntil!.Value;

        var transition = cashout.Return(Sample.Payoneer, "R01", "Account closed", lastMoment).Value;

        Assert.Equal(CashoutStatus.Returned, cashout.Status);
        Assert.Equal("R01", cashout.RejectionCode);
        Assert.Equal(CashoutEmailStage.Returned, transition.Email);
        Assert.Equal(
            [
                (LedgerAccountKey.ProviderClearing(PayoutMethod.Payoneer, Currency.USD), -98_000L),
                (LedgerAccountKey.PlatformFeeRevenue(Currency.USD), -2000L),
                (LedgerAccountKey.MerchantAvailable(Sample.MerchantId, Currency.USD), 100_000L),
            ],
            transition.Posting!.Entries.Select(entry => (entry.Account, entry.Amount)));
    }

    [Fact]
    public void Refuses_to_return_when_the_reversal_window_has_closed()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.Completed);
        var tooLate = cashout.ReversibleUntil!.Value.AddTicks(1);

        var result = cashout.Return(Sample.Payoneer, "R01", "Account closed", tooLate);

        Assert.Equal(CashoutErrors.ReversalWindowClosedCode, result.Error.Code);
        Assert.Equal(CashoutStatus.Completed, cashout.Status);
    }

    [Fact]
    public void Increments_the_version_once_per_transition_when_driven_through_the_happy_path()
    {
        var cashout = Sample.NewCashout();

        cashout.Hold(Sample.Admin, "check", Later);
        cashout.Release(Sample.Admin, Later);
        cashout.Submit(Sample.SubmitJob, "PO-1", Later);
        cashout.Complete(Sample.Payoneer, Later, Sample.ReversalWindow);

        Assert.Equal(4, cashout.Version);
    }

    [Fact]
    public void Changes_nothing_when_the_same_webhook_completes_it_twice()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.Processing);
        cashout.Complete(Sample.Payoneer, Later, Sample.ReversalWindow);
        var version = cashout.Version;

        var second = cashout.Complete(Sample.Payoneer, Later.AddMinutes(5), Sample.ReversalWindow);

        Assert.True(second.IsFailure);
        Assert.Equal(version, cashout.Version);
        Assert.Equal(Later, cashout.CompletedAt);
    }

    [Fact]
    public void Describes_itself_for_the_invariant_checker_when_asked()
    {
        var cashout = Sample.NewCashout();

        var fact = cashout.ToReservationFact();

        Assert.Equal(new CashoutReservationFact("0", Sample.MerchantId, CashoutStatus.Pending, new Money(100_000, Currency.USD)), fact);
    }
}
