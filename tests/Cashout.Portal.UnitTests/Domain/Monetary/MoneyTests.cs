using System.Globalization;
using Cashout.Domain.Monetary;

namespace Cashout.Portal.UnitTests.Domain.Monetary;

public class MoneyTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    [Theory]
    [InlineData("50", 5000)]
    [InlineData("50.00", 5000)]
    [InlineData("0.29", 29)]
    [InlineData("1,234.5", 123450)]
    [InlineData(" 7.10 ", 710)]
    [InlineData("50.000", 5000)]
    [InlineData("10000000", Money.MaximumMinorUnits)]
    public void Parses_major_units_to_exact_minor_units_when_text_is_a_valid_amount(string text, long expectedMinorUnits)
    {
        var result = MoneyParser.ParseMajorUnits(text, Currency.USD, English);

        Assert.True(result.IsSuccess);
        Assert.Equal(new Money(expectedMinorUnits, Currency.USD), result.Value);
    }

    [Fact]
    public void Parses_with_the_cultures_separators_when_culture_is_German()
    {
        var result = MoneyParser.ParseMajorUnits("1.234,56", Currency.EUR, German);

        Assert.Equal(new Money(123456, Currency.EUR), result.Value);
    }

    [Theory]
    [InlineData("12.345", MoneyParser.TooPreciseCode)]
    [InlineData("0.001", MoneyParser.TooPreciseCode)]
    [InlineData("-5", MoneyParser.NegativeCode)]
    [InlineData("-0.01", MoneyParser.NegativeCode)]
    [InlineData("10000000.01", MoneyParser.TooLargeCode)]
    [InlineData("99999999999999999999999999999999999", MoneyParser.TooLargeCode)]
    [InlineData("abc", MoneyParser.InvalidFormatCode)]
    [InlineData("", MoneyParser.InvalidFormatCode)]
    [InlineData("   ", MoneyParser.InvalidFormatCode)]
    [InlineData(null, MoneyParser.InvalidFormatCode)]
    [InlineData("1e5", MoneyParser.InvalidFormatCode)]
    public void Refuses_with_a_clear_error_when_text_is_not_a_valid_amount(string? text, string expectedCode)
    {
        var result = MoneyParser.ParseMajorUnits(text, Currency.USD, English);

        Assert.True(result.IsFailure);
        Assert.Equal(expectedCode, result.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    [Fact]
    public void Says_how_many_decimals_are_allowed_when_amount_is_too_precise()
    {
        var result = MoneyParser.ParseMajorUnits("1.234", Currency.GBP, English);

        Assert.Equal("GBP amounts have at most 2 decimal places.", result.Error.Message);
    }

    [Theory]
    [InlineData("en-US", "USD", 123456, "$1,234.56")]
    [InlineData("en-US", "EUR", 5000, "€50.00")]
    [InlineData("en-GB", "GBP", 5, "£0.05")]
    [InlineData("en-US", "AUD", 100, "A$1.00")]
    [InlineData("de-DE", "EUR", 123456, "1.234,56 €")]
    public void Formats_with_the_currency_symbol_and_culture_layout_when_displayed(string culture, string currency, long minorUnits, string expected)
    {
        var money = new Money(minorUnits, Currency.Parse(currency));

        var text = money.Format(CultureInfo.GetCultureInfo(culture));

        Assert.Equal(expected, text.Replace('\u00A0', ' '));
    }

    [Fact]
    public void Formats_culture_neutrally_when_converted_to_string()
    {
        Assert.Equal("$50.00", new Money(5000, Currency.USD).ToString());
    }

    [Fact]
    public void Adds_and_compares_exactly_when_currencies_match()
    {
        var a = new Money(1999, Currency.EUR);
        var b = new Money(1, Currency.EUR);

        Assert.Equal(new Money(2000, Currency.EUR), a + b);
        Assert.Equal(new Money(1998, Currency.EUR), a - b);
        Assert.Equal(new Money(-1, Currency.EUR), -b);
        Assert.True(a > b);
        Assert.Equal(19.99m, a.MajorUnits);
    }

    [Fact]
    public void Throws_when_amounts_of_different_currencies_are_combined()
    {
        var dollars = new Money(100, Currency.USD);
        var euros = new Money(100, Currency.EUR);

        Assert.Throws<InvalidOperationException>(() => dollars + euros);
        Assert.Throws<InvalidOperationException>(() => dollars < euros);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(Money.MaximumMinorUnits, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(Money.MaximumMinorUnits + 1, false)]
    public void Is_a_valid_request_amount_only_when_positive_and_within_the_maximum(long minorUnits, bool expected)
    {
        Assert.Equal(expected, new Money(minorUnits, Currency.USD).IsValidRequestAmount);
    }
}
