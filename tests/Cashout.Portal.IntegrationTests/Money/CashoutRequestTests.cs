using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.PaymentMethods;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// RequestCashout through the real use case on a real SQLite file: the accepted request, and each rule of
/// DESIGN.md section 2 in its published order. Every declining situation also breaks the rules after it,
/// so the test proves which rule wins. A decline writes one DeclinedAttempt row and nothing else.
/// </summary>
public sealed class CashoutRequestTests : MoneyTest
{
    [Fact]
    public async Task Requesting_100000_cents_via_payoneer_reserves_the_debit_and_queues_the_email_when_the_merchant_is_verified_and_funded()
    {
        await LinkPayoneerAsync();

        var quote = Assert.Single(await Use<QuoteCashout, IReadOnlyList<Quote>>(q => q.HandleAsync(Merchant, MerchantId, 100_000, Currency.USD)));
        Assert.Equal((PayoutMethod.Payoneer, 2_000L, 98_000L, 100_000L), (quote.Method, quote.Fee.MinorUnits, quote.NetPayout.MinorUnits, quote.TotalDebit.MinorUnits));

        var outcome = await TryRequestAsync(100_000);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        var cashout = await CashoutAsync(outcome.Cashout!.Id);
        Assert.Equal(CashoutStatus.Pending, cashout.Status);
        Assert.Equal((100_000L, 2_000L, 98_000L, 100_000L), (cashout.Amount.MinorUnits, cashout.Fee.MinorUnits, cashout.NetPayout.MinorUnits, cashout.Debit.MinorUnits));
        Assert.Equal(quote with { QuotedAt = cashout.Quote.QuotedAt, EstimatedCompletion = cashout.Quote.EstimatedCompletion }, cashout.Quote);
        Assert.Equal("payee@example.com", cashout.PayeeReference);
        Assert.Equal(new UsdBalances(400_000, 100_000, 100_000), await BalancesAsync());

        var timeline = await Portal.WithDbAsync(db => db.CashoutEvents.Where(e => e.CashoutId == cashout.Id).OrderBy(e => e.Id).ToListAsync());
        Assert.Collection(
            timeline,
            changed =>
            {
                Assert.Equal(CashoutEventType.StatusChanged, changed.Type);
                Assert.Equal((null, CashoutStatus.Pending, ActorKind.Merchant, MerchantId), (changed.FromStatus, changed.ToStatus, changed.ActorKind, changed.ActorId));
            },
            email =>
            {
                Assert.Equal(CashoutEventType.EmailQueued, email.Type);
                Assert.Contains("merchant@cashout.test", email.Detail, StringComparison.Ordinal);
            });
        var messages = await Portal.WithDbAsync(db => db.OutboxMessages.Where(m => m.Subject.StartsWith("Cashout")).ToListAsync());
        var message = Assert.Single(messages);
        Assert.Equal("merchant@cashout.test", message.To);
        Assert.StartsWith("Cashout requested", message.Subject, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Pending, message.Status);
    }

    [Fact]
    public async Task Accepts_a_cashout_of_the_whole_available_balance_when_it_fits_exactly()
    {
        await LinkPayoneerAsync();

        await RequestAsync(MerchantAvailable);

        Assert.Equal(new UsdBalances(0, MerchantPending, MerchantAvailable), await BalancesAsync());
    }

    [Fact]
    public async Task Declines_with_account_verification_required_when_the_merchant_is_not_verified()
    {
        // Also below the minimum, nothing linked, no balance: the verification rule comes first.
        await AssertDeclinedAsync(NewcomerId, PayoutMethod.Payoneer, 1_000, CashoutDeclineRule.VerificationRequired, "Account verification required");
    }

    [Fact]
    public async Task Declines_with_amount_below_minimum_when_a_payoneer_cashout_is_under_5000_cents()
    {
        // Payoneer is not linked either: the minimum comes first.
        var detail = await AssertDeclinedAsync(MerchantId, PayoutMethod.Payoneer, 4_999, CashoutDeclineRule.AmountBelowMinimum, "Amount below minimum");

        Assert.Contains("5000 cents", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declines_with_payment_method_not_linked_when_the_method_was_never_linked()
    {
        // A cashout is pending (tipalti) and the amount exceeds what is left: not linked comes first.
        await LinkTipaltiAsync();
        await RequestAsync(100_000, PayoutMethod.Tipalti);

        await AssertDeclinedAsync(MerchantId, PayoutMethod.Payoneer, 450_000, CashoutDeclineRule.PaymentMethodNotLinked, "Payment method not linked");
    }

    [Fact]
    public async Task Declines_with_pending_cashout_exists_when_the_previous_cashout_awaits_submission()
    {
        // Also within the cooldown and beyond the balance left: the pending rule comes first.
        await LinkPayoneerAsync();
        await RequestAsync(100_000);

        await AssertDeclinedAsync(MerchantId, PayoutMethod.Payoneer, 450_000, CashoutDeclineRule.PendingCashoutExists, "Pending cashout exists");
    }

    [Fact]
    public async Task Declines_with_pending_cashout_exists_when_the_previous_cashout_is_on_hold()
    {
        await LinkPayoneerAsync();
        var held = await RequestAsync(100_000);
        AssertSucceeded(await Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, held.Id, "Manual review")));

        await AssertDeclinedAsync(MerchantId, PayoutMethod.Payoneer, 100_000, CashoutDeclineRule.PendingCashoutExists, "Pending cashout exists");
    }

    [Fact]
    public async Task Declines_with_cooldown_period_until_24_hours_after_a_completed_cashout_was_requested()
    {
        await LinkPayoneerAsync();
        var completed = await CompletedCashoutAsync(100_000);

        // Also beyond the balance left (400000): the cooldown comes first.
        await AssertDeclinedAsync(MerchantId, PayoutMethod.Payoneer, 450_000, CashoutDeclineRule.CooldownPeriod, "Cooldown period");
        var attempt = await Portal.WithDbAsync(db => db.DeclinedAttempts.SingleAsync());
        Assert.EndsWith($"Next request possible: {CashoutStatusText.Time(completed.CreatedAt.AddHours(24))}.", attempt.Detail, StringComparison.Ordinal);

        Portal.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var stillCooling = await TryRequestAsync(100_000);
        Assert.Equal("Cooldown period", stillCooling.Decline?.Message);
        Assert.Equal(completed.CreatedAt.AddHours(24), stillCooling.Decline?.RetryAt);

        Portal.Clock.Advance(TimeSpan.FromSeconds(1));
        var next = await RequestAsync(100_000);
        Assert.Equal(CashoutStatus.Pending, next.Status);
        Assert.Equal(new UsdBalances(300_000, MerchantPending, 100_000), await BalancesAsync());
    }

    [Fact]
    public async Task Accepts_a_new_request_at_once_when_the_previous_cashout_was_cancelled()
    {
        await LinkPayoneerAsync();
        var cancelled = await RequestAsync(100_000);
        AssertSucceeded(await Use<CancelCashout, CommandResult>(c => c.HandleAsync(Merchant, cancelled.Id, reason: null)));

        await RequestAsync(100_000);

        Assert.Equal(new UsdBalances(400_000, MerchantPending, 100_000), await BalancesAsync());
    }

    [Fact]
    public async Task Accepts_a_new_request_at_once_when_the_previous_cashout_failed()
    {
        await LinkPayoneerAsync();
        var failed = await RequestAsync(100_000);
        AssertSucceeded(await SubmitAsync(failed.Id));
        AssertSucceeded(await Provider(p => p.FailAsync(ProviderWebhook, failed.Id, "R01", "Payee account closed")));

        await RequestAsync(100_000);

        Assert.Equal(new UsdBalances(400_000, MerchantPending, 100_000), await BalancesAsync());
    }

    [Fact]
    public async Task Accepts_a_new_request_at_once_when_the_previous_cashout_was_returned()
    {
        await LinkPayoneerAsync();
        var returned = await CompletedCashoutAsync(100_000);
        AssertSucceeded(await Provider(p => p.ReturnAsync(ProviderWebhook, returned.Id, "AC04", "Account closed")));

        var next = await RequestAsync(100_000);

        Assert.Equal(CashoutStatus.Pending, next.Status);
        Assert.Equal(new UsdBalances(400_000, MerchantPending, 100_000), await BalancesAsync());
    }

    [Fact]
    public async Task Declines_with_insufficient_balance_when_the_debit_exceeds_available_by_one_cent()
    {
        await LinkPayoneerAsync();

        await AssertDeclinedAsync(MerchantId, PayoutMethod.Payoneer, MerchantAvailable + 1, CashoutDeclineRule.InsufficientBalance, "Insufficient balance");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-100_000L)]
    [InlineData(Cashout.Domain.Monetary.Money.MaximumMinorUnits + 1)]
    [InlineData(long.MaxValue)]
    public async Task Declines_with_invalid_amount_when_the_amount_is_not_positive_or_above_the_maximum(long amount)
    {
        await LinkPayoneerAsync();

        await AssertDeclinedAsync(MerchantId, PayoutMethod.Payoneer, amount, CashoutDeclineRule.InvalidAmount, "Invalid amount");
    }

    [Fact]
    public async Task Request_is_forbidden_and_writes_nothing_when_a_merchant_asks_for_another_merchant()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();

        var outcome = await Use<RequestCashout, RequestCashoutOutcome>(r => r.HandleAsync(
            Caller.Merchant(NewcomerId), new RequestCashoutCommand(MerchantId, PayoutMethod.Payoneer, 100_000, Currency.USD)));

        Assert.Equal(CommandStatus.Forbidden, outcome.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Request_is_refused_as_a_duplicate_and_records_nothing_when_the_external_id_was_used_before()
    {
        await LinkPayoneerAsync();
        var first = await Use<RequestCashout, RequestCashoutOutcome>(u => u.HandleAsync(Merchant, new RequestCashoutCommand(MerchantId, PayoutMethod.Payoneer, 10_000, Currency.USD, ExternalId: "order-1")));
        Assert.Equal(CommandStatus.Succeeded, first.Status);
        Assert.Equal(CommandResult.Ok, await Use<CancelCashout, CommandResult>(u => u.HandleAsync(Merchant, first.Cashout!.Id, null)));
        var before = await SnapshotAsync();

        var again = await Use<RequestCashout, RequestCashoutOutcome>(u => u.HandleAsync(Merchant, new RequestCashoutCommand(MerchantId, PayoutMethod.Payoneer, 10_000, Currency.USD, ExternalId: "order-1")));

        Assert.Equal(CommandStatus.Refused, again.Status);
        Assert.Null(again.Decline);
        Assert.Equal("duplicate_external_id", again.Error!.Code);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Request_on_hold_is_refused_and_records_nothing_when_the_hold_reason_is_blank()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();

        var outcome = await Use<RequestCashout, RequestCashoutOutcome>(u => u.HandleAsync(Merchant, new RequestCashoutCommand(MerchantId, PayoutMethod.Payoneer, 10_000, Currency.USD, InitialHoldReason: "  ")));

        Assert.Equal(CommandStatus.Refused, outcome.Status);
        Assert.Equal("A reason is required to hold a cashout.", outcome.Error!.Message);
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task LinkTipaltiAsync()
    {
        var linked = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(link => link.HandleAsync(
            Merchant, new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Tipalti, PayeeId: "tipalti-42")));
        AssertSucceeded(linked.Result);
    }

    /// <summary>Requests, expects the exact decline, and checks that only the DeclinedAttempt row was written.</summary>
    private async Task<string> AssertDeclinedAsync(string merchantId, PayoutMethod method, long amount, CashoutDeclineRule rule, string message)
    {
        var before = await SnapshotAsync();
        var balances = await BalancesAsync(merchantId);

        var outcome = await TryRequestAsync(amount, method, merchantId);

        Assert.Equal(CommandStatus.Refused, outcome.Status);
        Assert.Null(outcome.Cashout);
        Assert.Equal((rule, message), (outcome.Decline!.Rule, outcome.Decline.Message));
        Assert.Equal(before with { DeclinedAttempts = before.DeclinedAttempts + 1 }, await SnapshotAsync());
        Assert.Equal(balances, await BalancesAsync(merchantId));
        var attempt = await Portal.WithDbAsync(db => db.DeclinedAttempts.OrderByDescending(a => a.Id).FirstAsync());
        Assert.Equal((merchantId, "portal", method.ToApiName(), amount, "USD", rule, message), (attempt.MerchantId, attempt.Source, attempt.Method, attempt.Amount, attempt.Currency, attempt.Rule, attempt.Message));
        return attempt.Detail;
    }
}
