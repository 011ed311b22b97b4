namespace Cashout.Domain.PaymentMethods;

/// <summary>
/// The id a linked bank account (transfer instrument) is known by in the Adyen-style API: the country
/// code and a 22-digit sequence number, like the reference's examples ("SE0000000000000000000001").
/// </summary>
public static class TransferInstrumentReference
{
    public const int DigitCount = 22;

    public static string Create(string country, long sequenceNumber)
    {
        if (!PayeeDetails.IsCountryCode(country))
        {
            throw new ArgumentException($"'{country}' is not a two-letter upper-case country code.", nameof(country));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceNumber);
        return country + sequenceNumber.ToString(new string('0', DigitCount), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static bool IsValid(string? reference) =>
        reference is { Length: 2 + DigitCount }
        && PayeeDetails.IsCountryCode(reference[..2])
        && reference[2..].All(char.IsAsciiDigit);
}
