namespace Cashout.Domain.Monetary;

/// <summary>
/// One of the ISO 4217 currencies the portal supports. A struct whose default value is USD, so an
/// uninitialised <see cref="Money"/> is still a valid currency (USD is the product's default).
/// </summary>
public readonly record struct Currency
{
    private static readonly CurrencyInfo[] Supported =
    [
        new("USD", "$", "cents"),
        new("EUR", "€", "cents"),
        new("GBP", "£", "pence"),
        new("AUD", "A$", "cents"),
    ];

    // Index into Supported; 0 (the default) is USD.
    private readonly int ordinal;

    private Currency(int ordinal) => this.ordinal = ordinal;

    public static Currency USD { get; } = new(0);
    public static Currency EUR { get; } = new(1);
    public static Currency GBP { get; } = new(2);
    public static Currency AUD { get; } = new(3);

    public static Currency Default => USD;

    public static IReadOnlyList<Currency> All { get; } = [USD, EUR, GBP, AUD];

    /// <summary>The ISO 4217 code, e.g. "USD".</summary>
    public string Code => Supported[ordinal].Code;

    public string Symbol => Supported[ordinal].Symbol;

    /// <summary>What people call the minor unit, for messages like "5000 cents".</summary>
    public string MinorUnitName => Supported[ordinal].MinorUnitName;

    /// <summary>All supported currencies have two decimal places.</summary>
    public int MinorDigits => 2;

    public static bool TryParse(string? code, out Currency currency)
    {
        for (var i = 0; i < Supported.Length; i++)
        {
            if (string.Equals(Supported[i].Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                currency = new Currency(i);
                return true;
            }
        }

        currency = Default;
        return false;
    }

    public static Currency Parse(string code) => TryParse(code, out var currency)
        ? currency
        : throw new FormatException($"Unsupported currency '{code}'. Supported: {string.Join(", ", All)}.");

    public override string ToString() => Code;

    private sealed record CurrencyInfo(string Code, string Symbol, string MinorUnitName);
}
