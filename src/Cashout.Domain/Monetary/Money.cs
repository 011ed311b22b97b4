using System.Globalization;

namespace Cashout.Domain.Monetary;

/// <summary>
/// An amount in integer minor units (cents) of a currency. Never floating point: every amount the
/// ledger, fees and limits see is exact. Signed, because ledger entries are signed.
/// </summary>
public readonly record struct Money(long MinorUnits, Currency Currency) : IComparable<Money>
{
    /// <summary>
    /// The largest amount a single cashout or funding may carry: 1,000,000,000 minor units (10 million
    /// major units). Far above any real request, and small enough that amount + fee never overflows.
    /// </summary>
    public const long MaximumMinorUnits = 1_000_000_000;

    private const decimal MinorUnitsPerMajorUnit = 100m;

    public static Money Zero(Currency currency) => new(0, currency);

    public static Money Of(long minorUnits, Currency currency) => new(minorUnits, currency);

    public bool IsPositive => MinorUnits > 0;

    public bool IsNegative => MinorUnits < 0;

    /// <summary>A positive amount no larger than <see cref="MaximumMinorUnits"/>: what a request may ask for.</summary>
    public bool IsValidRequestAmount => MinorUnits is > 0 and <= MaximumMinorUnits;

    /// <summary>The amount in major units (dollars), exact, for display and APIs that speak decimals.</summary>
    public decimal MajorUnits => MinorUnits / MinorUnitsPerMajorUnit;

    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(checked(left.MinorUnits + right.MinorUnits), left.Currency);
    }

    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(checked(left.MinorUnits - right.MinorUnits), left.Currency);
    }

    public static Money operator -(Money money) => new(checked(-money.MinorUnits), money.Currency);

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    public int CompareTo(Money other)
    {
        EnsureSameCurrency(this, other);
        return MinorUnits.CompareTo(other.MinorUnits);
    }

    /// <summary>
    /// Formats with the currency's own symbol and the culture's number layout:
    /// "$1,234.56" in en-US, "1.234,56 €" in de-DE.
    /// </summary>
    public string Format(CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = Currency.Symbol;
        format.CurrencyDecimalDigits = Currency.MinorDigits;
        return MajorUnits.ToString("C", format);
    }

    /// <summary>A culture-neutral form for logs and messages, e.g. "$50.00".</summary>
    public override string ToString() => Format(CultureInfo.InvariantCulture);

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (left.Currency != right.Currency)
        {
            // Mixing currencies is a programming error, not a business refusal.
            throw new InvalidOperationException($"Cannot combine {left.Currency} and {right.Currency} amounts.");
        }
    }
}
