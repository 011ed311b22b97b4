using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.UnitTests.Domain.Support;

namespace Cashout.Portal.UnitTests.Domain.Cashouts;

public class CashoutRequestRulesTests
{
    private static readonly DateTimeOffset Now = Sample.Friday;
    private static readonly CashoutRequestRules Rules = new(Sample.Calculator(Now));
    private static readonly CashoutRequest PayoneerRequest = new(PayoutMethod.Payoneer, 100_000, Currency.USD);

    /// <summary>A merchant that passes every rule.</summary>
    private static readonly CashoutRequestSnapshot Eligible = new(
        IsVerified: true,
        LinkedMethods: [new QuoteOption(PayoutMethod.Payoneer), new QuoteOption(PayoutMethod.Bank, InstantRoute: true)],
        HasCashoutAwaitingSubmission: false,
        LastCooldownRequestAt: null,
        AvailableBalance: new Money(500_000, Currency.USD),
        Now: Now);

    /// <summary>A merchant that breaks every rule at once: the first rule in the published order must win.</summary>
    private static readonly CashoutRequestSnapshot FailsEverything = new(
        IsVerified: false,
        LinkedMethods: [],
        HasCashoutAwaitingSubmission: true,
        LastCooldownRequestAt: Now.AddHours(-1),
        AvailableBalance: Money.Zero(Currency.USD),
        Now: Now);

    [Fact]
    public void Request_is_accepted_with_the_quote_when_every_rule_passes()
    {
        var result = Rules.Evaluate(PayoneerRequest, Eligible);

        Assert.True(result.IsSuccess);
        Assert.Equal(new Money(2000, Currency.USD), result.Value.Fee);
        Assert.Equal(new Money(98_000, Currency.USD), result.Value.NetPayout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    [InlineData(Money.MaximumMinorUnits + 1)]
    [InlineData(long.MaxValue)]
    public void Request_is_declined_with_Invalid_amount_before_any_rule_when_amount_is_not_a_positive_amount_within_the_maximum(long amount)
    {
        var result = Rules.Evaluate(PayoneerRequest with { Amount = amount }, FailsEverything);

        AssertDeclined(result.Error, CashoutDeclineRule.InvalidAmount, "Invalid amount");
        Assert.Contains("between 1 and 1000000000", result.Error.Detail);
    }

    [Fact]
    public void Request_is_declined_with_Invalid_fee_amount_when_the_named_fee_exceeds_the_amount()
    {
        var request = new CashoutRequest(PayoutMethod.Bank, 1000, Currency.USD, FeeSemantics.FeeOnTop, new Money(1001, Currency.USD));

        var result = Rules.Evaluate(request, FailsEverything);

        AssertDeclined(result.Error, CashoutDeclineRule.InvalidFeeAmount, "Invalid fee amount");
    }

    [Fact]
    public void Request_is_declined_with_a_currency_mismatch_when_the_fee_is_in_another_currency()
    {
        var request = new CashoutRequest(PayoutMethod.Bank, 1000, Currency.USD, FeeSemantics.FeeOnTop, new Money(10, Currency.EUR));

        var result = Rules.Evaluate(request, Eligible);

        AssertDeclined(result.Error, CashoutDeclineRule.FeeCurrencyMismatch, "Fee amount has a different currency than instruction amount");
    }

    [Fact]
    public void Request_is_declined_with_Account_verification_required_when_the_merchant_is_not_verified()
    {
        var result = Rules.Evaluate(PayoneerRequest, Eligible with { IsVerified = false });

        AssertDeclined(result.Error, CashoutDeclineRule.VerificationRequired, "Account verification required");
    }

    [Fact]
    public void Request_is_declined_with_Amount_below_minimum_when_amount_is_under_the_method_minimum()
    {
        var result = Rules.Evaluate(PayoneerRequest with { Amount = 4999 }, Eligible);

        AssertDeclined(result.Error, CashoutDeclineRule.AmountBelowMinimum, "Amount below minimum");
        Assert.Equal("Minimum cashout to Payoneer is $50.00 (5000 cents)", result.Error.Detail);
    }

    [Fact]
    public void Request_is_declined_with_Amount_below_minimum_in_the_requests_currency_when_the_bank_minimum_is_not_reached()
    {
        var request = new CashoutRequest(PayoutMethod.Bank, 99, Currency.GBP);

        var result = Rules.Evaluate(request, Eligible with { AvailableBalance = new Money(500_000, Currency.GBP) });

        AssertDeclined(result.Error, CashoutDeclineRule.AmountBelowMinimum, "Amount below minimum");
        Assert.Equal("Minimum cashout by bank transfer is £1.00 (100 pence)", result.Error.Detail);
    }

    [Fact]
    public void Request_is_declined_with_Amount_below_minimum_not_a_fee_error_when_the_bank_fee_exceeds_a_tiny_amount()
    {
        var result = Rules.Evaluate(new CashoutRequest(PayoutMethod.Bank, 30, Currency.USD), Eligible);

        AssertDeclined(result.Error, CashoutDeclineRule.AmountBelowMinimum, "Amount below minimum");
    }

    [Fact]
    public void Request_is_accepted_when_amount_equals_the_minimum()
    {
        Assert.True(Rules.Evaluate(PayoneerRequest with { Amount = 5000 }, Eligible).IsSuccess);
    }

    [Fact]
    public void Request_is_declined_with_Payment_method_not_linked_when_the_method_is_not_linked()
    {
        var result = Rules.Evaluate(PayoneerRequest with { Method = PayoutMethod.Tipalti }, Eligible);

        AssertDeclined(result.Error, CashoutDeclineRule.PaymentMethodNotLinked, "Payment method not linked");
        Assert.Contains("Tipalti", result.Error.Detail);
    }

    [Fact]
    public void Request_is_declined_with_Pending_cashout_exists_when_a_cashout_is_pending_or_on_hold()
    {
        var result = Rules.Evaluate(PayoneerRequest, Eligible with { HasCashoutAwaitingSubmission = true });

        AssertDeclined(result.Error, CashoutDeclineRule.PendingCashoutExists, "Pending cashout exists");
    }

    [Fact]
    public void Request_is_declined_with_Cooldown_period_and_says_when_to_retry_when_the_previous_request_is_under_24_hours_old()
    {
        var previous = Now.AddHours(-23).AddMinutes(-30);

        var result = Rules.Evaluate(PayoneerRequest, Eligible with { LastCooldownRequestAt = previous });

        AssertDeclined(result.Error, CashoutDeclineRule.CooldownPeriod, "Cooldown period");
        Assert.Equal(previous.AddHours(24), result.Error.RetryAt);
        Assert.Equal("One cashout per 24 hours: only cashouts that paid out start the wait; cancelled, failed and returned ones do not. Next request possible: 9 Jan 2026, 10:30 UTC.", result.Error.Detail);
    }

    [Fact]
    public void Request_is_accepted_when_the_previous_request_is_exactly_24_hours_old()
    {
        var result = Rules.Evaluate(PayoneerRequest, Eligible with { LastCooldownRequestAt = Now.AddHours(-24) });

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void Request_is_declined_with_Insufficient_balance_when_available_is_below_the_amount()
    {
        var result = Rules.Evaluate(PayoneerRequest, Eligible with { AvailableBalance = new Money(99_999, Currency.USD) });

        AssertDeclined(result.Error, CashoutDeclineRule.InsufficientBalance, "Insufficient balance");
        Assert.Equal("Available balance $999.99 is less than the $1,000.00 this cashout debits.", result.Error.Detail);
    }

    [Fact]
    public void Request_is_accepted_when_available_equals_the_debit()
    {
        Assert.True(Rules.Evaluate(PayoneerRequest, Eligible with { AvailableBalance = new Money(100_000, Currency.USD) }).IsSuccess);
    }

    [Fact]
    public void Request_is_declined_with_Insufficient_balance_when_available_covers_the_amount_but_not_the_fee_on_top()
    {
        var request = PayoneerRequest with { Semantics = FeeSemantics.FeeOnTop };

        var result = Rules.Evaluate(request, Eligible with { AvailableBalance = new Money(101_999, Currency.USD) });

        AssertDeclined(result.Error, CashoutDeclineRule.InsufficientBalance, "Insufficient balance");
    }

    /// <summary>
    /// Starting from a merchant that fails every rule, fixing one rule at a time must reveal the next
    /// rule in the published order: 1 verification, 2 minimum, 3 linked, 4 pending, 5 cooldown, 6 balance.
    /// </summary>
    [Fact]
    public void Request_is_declined_by_the_first_failing_rule_in_the_published_order_when_several_fail()
    {
        var request = PayoneerRequest with { Amount = 4000 };
        var snapshot = FailsEverything;
        var declined = new List<CashoutDeclineRule>();

        declined.Add(Rules.Evaluate(request, snapshot).Error.Rule);
        snapshot = snapshot with { IsVerified = true };
        declined.Add(Rules.Evaluate(request, snapshot).Error.Rule);
        request = request with { Amount = 100_000 };
        declined.Add(Rules.Evaluate(request, snapshot).Error.Rule);
        snapshot = snapshot with { LinkedMethods = [new QuoteOption(PayoutMethod.Payoneer)] };
        declined.Add(Rules.Evaluate(request, snapshot).Error.Rule);
        snapshot = snapshot with { HasCashoutAwaitingSubmission = false };
        declined.Add(Rules.Evaluate(request, snapshot).Error.Rule);
        snapshot = snapshot with { LastCooldownRequestAt = null };
        declined.Add(Rules.Evaluate(request, snapshot).Error.Rule);
        snapshot = snapshot with { AvailableBalance = new Money(100_000, Currency.USD) };
        var accepted = Rules.Evaluate(request, snapshot);

        Assert.Equal(
            [
                CashoutDeclineRule.VerificationRequired,
                CashoutDeclineRule.AmountBelowMinimum,
                CashoutDeclineRule.PaymentMethodNotLinked,
                CashoutDeclineRule.PendingCashoutExists,
                CashoutDeclineRule.CooldownPeriod,
                CashoutDeclineRule.InsufficientBalance,
            ],
            declined);
        Assert.True(accepted.IsSuccess);
    }

    [Fact]
    public void Request_gets_an_instant_quote_when_the_linked_bank_account_has_an_instant_route()
    {
        var result = Rules.Evaluate(new CashoutRequest(PayoutMethod.Bank, 10_000, Currency.USD), Eligible);

        Assert.True(result.Value.IsInstant);
        Assert.Equal(Now.AddMinutes(30), result.Value.EstimatedCompletion);
    }

    [Fact]
    public void Throws_when_the_snapshot_balance_is_in_another_currency_than_the_request()
    {
        Assert.Throws<ArgumentException>(() => Rules.Evaluate(PayoneerRequest with { Currency = Currency.EUR }, Eligible));
    }

    [Theory]
    [InlineData(PayoutMethod.Payoneer, 123_457)]
    [InlineData(PayoutMethod.Bank, 123_457)]
    [InlineData(PayoutMethod.Payoneer, 5_000)]
    public void Full_balance_amount_is_the_whole_available_balance_and_is_accepted_with_nothing_left(PayoutMethod method, long available)
    {
        var snapshot = Eligible with { AvailableBalance = new Money(available, Currency.USD) };

        var amount = Rules.FullBalanceAmount(method, snapshot.AvailableBalance);
        var result = Rules.Evaluate(new CashoutRequest(method, amount!.Value.MinorUnits, Currency.USD), snapshot);

        Assert.Equal(new Money(available, Currency.USD), amount);
        // The fee comes out of the amount: the debit is the whole balance, and the payee gets the rest.
        Assert.True(result.IsSuccess, result.IsFailure ? result.Error.Message : null);
        Assert.Equal(snapshot.AvailableBalance, result.Value.TotalDebit);
        Assert.Equal(available - result.Value.Fee.MinorUnits, result.Value.NetPayout.MinorUnits);
    }

    [Fact]
    public void Full_balance_amount_is_none_when_the_balance_is_below_the_methods_minimum()
    {
        Assert.Null(Rules.FullBalanceAmount(PayoutMethod.Payoneer, new Money(4_999, Currency.USD)));
        Assert.Null(Rules.FullBalanceAmount(PayoutMethod.Bank, Money.Zero(Currency.USD)));
        Assert.Equal(new Money(100, Currency.USD), Rules.FullBalanceAmount(PayoutMethod.Bank, new Money(100, Currency.USD)));
    }

    [Fact]
    public void Full_balance_amount_stops_at_the_largest_request_when_the_balance_is_larger()
    {
        var amount = Rules.FullBalanceAmount(PayoutMethod.Tipalti, new Money(Money.MaximumMinorUnits + 5_000, Currency.EUR));

        Assert.Equal(new Money(Money.MaximumMinorUnits, Currency.EUR), amount);
    }

    private static void AssertDeclined(CashoutDecline decline, CashoutDeclineRule rule, string message)
    {
        Assert.Equal(rule, decline.Rule);
        Assert.Equal(message, decline.Message);
        Assert.False(string.IsNullOrWhiteSpace(decline.Detail));
    }
}
