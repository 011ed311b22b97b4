using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.UnitTests.Domain.Support;

namespace Cashout.Portal.UnitTests.Domain.Fees;

public class QuoteCalculatorTests
{
    private static readonly Money OneThousandDollars = new(100_000, Currency.USD);

    [Fact]
    public void Takes_the_fee_from_the_amount_when_semantics_are_portal_style()
    {
        var quote = Sample.Calculator().Calculate(PayoutMethod.Payoneer, OneThousandDollars).Value;

        Assert.Equal(PayoutMethod.Payoneer, quote.Method);
        Assert.Equal(FeeSemantics.FeeTakenFromAmount, quote.Semantics);
        Assert.Equal(new Money(2000, Currency.USD), quote.Fee);
        Assert.Equal(new Money(98_000, Currency.USD), quote.NetPayout);
        Assert.Equal(OneThousandDollars, quote.TotalDebit);
        Assert.Equal(new Money(5000, Currency.USD), quote.Minimum);
        Assert.Equal(Sample.Friday, quote.QuotedAt);
        Assert.False(quote.IsInstant);
    }

    [Fact]
    public void Charges_the_fee_on_top_when_semantics_are_Adyen_style()
    {
        var quote = Sample.Calculator().Calculate(PayoutMethod.Tipalti, OneThousandDollars, FeeSemantics.FeeOnTop).Value;

        Assert.Equal(new Money(1500, Currency.USD), quote.Fee);
        Assert.Equal(OneThousandDollars, quote.NetPayout);
        Assert.Equal(new Money(101_500, Currency.USD), quote.TotalDebit);
    }

    [Theory]
    [InlineData(PayoutMethod.Payoneer, "2026-01-14")] // Friday + 3 business days
    [InlineData(PayoutMethod.Tipalti, "2026-01-16")]  // Friday + 5 business days
    [InlineData(PayoutMethod.Bank, "2026-01-13")]     // Friday + 2 business days (standard route)
    public void Estimates_completion_at_the_upper_bound_in_business_days_when_quoted_on_a_Friday(PayoutMethod method, string expectedDate)
    {
        var quote = Sample.Calculator(Sample.Friday).Calculate(method, OneThousandDollars).Value;

        Assert.Equal(DateOnly.Parse(expectedDate, System.Globalization.CultureInfo.InvariantCulture), DateOnly.FromDateTime(quote.EstimatedCompletion.UtcDateTime));
        Assert.Equal(Sample.Friday.TimeOfDay, quote.EstimatedCompletion.TimeOfDay);
    }

    [Fact]
    public void Estimates_minutes_when_the_bank_account_has_an_instant_route()
    {
        var quote = Sample.Calculator().Calculate(PayoutMethod.Bank, OneThousandDollars, instantRoute: true).Value;

        Assert.True(quote.IsInstant);
        Assert.Equal(Sample.Friday.AddMinutes(30), quote.EstimatedCompletion);
        Assert.Equal(new Money(50, Currency.USD), quote.Fee);
    }

    [Fact]
    public void Ignores_the_instant_flag_when_the_method_has_no_instant_route()
    {
        var quote = Sample.Calculator().Calculate(PayoutMethod.Payoneer, OneThousandDollars, instantRoute: true).Value;

        Assert.False(quote.IsInstant);
    }

    [Fact]
    public void Quotes_as_without_a_fee_when_the_request_names_the_configured_fee()
    {
        var amount = new Money(100_000, Currency.EUR);
        var configured = Sample.Calculator().Calculate(PayoutMethod.Bank, amount, FeeSemantics.FeeOnTop).Value;

        var quote = Sample.Calculator().Calculate(PayoutMethod.Bank, amount, FeeSemantics.FeeOnTop, platformFee: configured.Fee).Value;

        Assert.True(configured.Fee.IsPositive);
        Assert.Equal(configured.Fee, quote.Fee);
        Assert.Equal(amount + configured.Fee, quote.TotalDebit);
        Assert.Equal(amount, quote.NetPayout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Money.MaximumMinorUnits + 1)]
    public void Refuses_with_Invalid_amount_when_amount_is_not_positive_or_above_the_maximum(long amount)
    {
        var result = Sample.Calculator().Calculate(PayoutMethod.Payoneer, new Money(amount, Currency.USD));

        Assert.Equal(QuoteCalculator.InvalidAmountCode, result.Error.Code);
        Assert.Equal("Invalid amount", result.Error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(10_001)]
    public void Refuses_with_Invalid_fee_amount_when_the_named_fee_is_not_the_configured_one(long offset)
    {
        // The API caller is the merchant: it may state the platform's fee, never choose it (0 was booked as a free cashout).
        var amount = new Money(10_000, Currency.USD);
        var configured = Sample.Calculator().Calculate(PayoutMethod.Bank, amount, FeeSemantics.FeeOnTop).Value.Fee;
        var named = offset == 0 ? new Money(0, Currency.USD) : new Money(configured.MinorUnits + offset, Currency.USD);

        var result = Sample.Calculator().Calculate(PayoutMethod.Bank, amount, FeeSemantics.FeeOnTop, platformFee: named);

        Assert.True(configured.IsPositive);
        Assert.Equal(QuoteCalculator.InvalidFeeAmountCode, result.Error.Code);
        Assert.Equal("Invalid fee amount", result.Error.Message);
    }

    [Fact]
    public void Refuses_when_fee_currency_differs_from_the_amounts()
    {
        var result = Sample.Calculator().Calculate(PayoutMethod.Bank, new Money(10_000, Currency.EUR), FeeSemantics.FeeOnTop, platformFee: new Money(100, Currency.USD));

        Assert.Equal("Fee amount has a different currency than instruction amount", result.Error.Message);
    }

    [Fact]
    public void Flags_the_quote_when_amount_is_below_the_methods_minimum()
    {
        var quote = Sample.Calculator().Calculate(PayoutMethod.Payoneer, new Money(4999, Currency.USD)).Value;

        Assert.True(quote.IsBelowMinimum);
    }

    [Fact]
    public void Caps_the_configured_fee_at_the_amount_when_a_tiny_amount_is_quoted_for_bank()
    {
        var quote = Sample.Calculator().Calculate(PayoutMethod.Bank, new Money(30, Currency.USD)).Value;

        Assert.Equal(new Money(30, Currency.USD), quote.Fee);
        Assert.Equal(Money.Zero(Currency.USD), quote.NetPayout);
        Assert.True(quote.IsBelowMinimum);
    }

    [Fact]
    public void Quotes_every_method_side_by_side_in_the_given_order_when_comparing()
    {
        var quotes = Sample.Calculator().CompareMethods(
            [new QuoteOption(PayoutMethod.Bank, InstantRoute: true), new QuoteOption(PayoutMethod.Payoneer), new QuoteOption(PayoutMethod.Tipalti)],
            OneThousandDollars);

        Assert.Equal([PayoutMethod.Bank, PayoutMethod.Payoneer, PayoutMethod.Tipalti], quotes.Select(quote => quote.Method));
        Assert.Equal([50L, 2000L, 1500L], quotes.Select(quote => quote.Fee.MinorUnits));
        Assert.True(quotes[0].IsInstant);
    }

    [Fact]
    public void Returns_no_quotes_when_comparing_an_invalid_amount()
    {
        var quotes = Sample.Calculator().CompareMethods([new QuoteOption(PayoutMethod.Payoneer)], new Money(0, Currency.USD));

        Assert.Empty(quotes);
    }
}
