using Cashout.Domain.Monetary;

namespace Cashout.Portal.UnitTests.Domain.Monetary;

public class CurrencyTests
{
    [Fact]
    public void Defaults_to_USD_when_not_initialised()
    {
        Assert.Equal(Currency.USD, default(Currency));
        Assert.Equal(Currency.USD, Currency.Default);
        Assert.Equal(Currency.USD, default(Money).Currency);
    }

    [Theory]
    [InlineData("USD", "$")]
    [InlineData("EUR", "€")]
    [InlineData("GBP", "£")]
    [InlineData("AUD", "A$")]
    public void Knows_its_symbol_and_two_minor_digits_when_parsed_from_its_ISO_code(string code, string symbol)
    {
        var currency = Currency.Parse(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(symbol, currency.Symbol);
        Assert.Equal(2, currency.MinorDigits);
        Assert.Equal(code, currency.ToString());
    }

    [Fact]
    public void Parses_case_insensitively_when_code_is_lower_case()
    {
        Assert.True(Currency.TryParse(" eur ", out var currency));
        Assert.Equal(Currency.EUR, currency);
    }

    [Theory]
    [InlineData("JPY")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_to_parse_when_currency_is_not_supported(string? code)
    {
        Assert.False(Currency.TryParse(code, out _));
        Assert.Throws<FormatException>(() => Currency.Parse(code!));
    }

    [Fact]
    public void Lists_all_four_supported_currencies_when_asked()
    {
        Assert.Equal(["USD", "EUR", "GBP", "AUD"], Currency.All.Select(currency => currency.Code));
    }
}
