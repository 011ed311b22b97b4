using System.Globalization;

namespace Cashout.Domain.Monetary;

/// <summary>
/// Turns what a person types ("50", "1,234.50") into exact minor units. Decimal parsing, never
/// double, so "0.29" is 29 cents and not 28.999...
/// </summary>
public static class MoneyParser
{
    public const string InvalidFormatCode = "amount_format";
    public const string NegativeCode = "amount_negative";
    public const string TooPreciseCode = "amount_too_precise";
    public const string TooLargeCode = "amount_too_large";

    public static Result<Money, DomainError> ParseMajorUnits(string? text, Currency currency, CultureInfo culture)
    {
        if (string.IsNullOrWhiteSpace(text)
            || !decimal.TryParse(text.Trim(), NumberStyles.Number, culture, out var majorUnits))
        {
            return LooksLikeAHugeNumber(text)
                ? TooLarge(currency)
                : new DomainError(InvalidFormatCode, "Enter an amount as a number, for example 50.00.");
        }

        if (majorUnits < 0)
        {
            return new DomainError(NegativeCode, "The amount cannot be negative.");
        }

        var minorUnits = majorUnits * 100m;
        if (minorUnits != decimal.Truncate(minorUnits))
        {
            return new DomainError(
                TooPreciseCode,
                $"{currency.Code} amounts have at most {currency.MinorDigits} decimal places.");
        }

        if (minorUnits > Money.MaximumMinorUnits)
        {
            return TooLarge(currency);
        }

        return new Money((long)minorUnits, currency);
    }

    private static DomainError TooLarge(Currency currency) => new(
        TooLargeCode,
        $"The amount cannot exceed {new Money(Money.MaximumMinorUnits, currency)}.");

    // decimal.TryParse fails on values beyond ~7.9e28; a long run of digits is "too large", not "not a number".
    private static bool LooksLikeAHugeNumber(string? text) =>
        !string.IsNullOrWhiteSpace(text) && text.Trim().Length > 20 && text.Trim().All(c => char.IsAsciiDigit(c) || c is '.' or ',');
}
