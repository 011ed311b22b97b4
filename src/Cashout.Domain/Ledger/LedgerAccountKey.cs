using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Ledger;

/// <summary>
/// Identifies one ledger account. Merchant accounts are per (merchant, currency); fee revenue and
/// external funding per currency; provider clearing per (provider, currency). Create through the
/// factory methods so a key always carries exactly the parts its kind needs.
/// </summary>
public sealed record LedgerAccountKey
{
    private LedgerAccountKey(LedgerAccountKind kind, Currency currency, string? merchantId, PayoutMethod? provider)
    {
        Kind = kind;
        Currency = currency;
        MerchantId = merchantId;
        Provider = provider;
    }

    public LedgerAccountKind Kind { get; }

    public Currency Currency { get; }

    /// <summary>Set for merchant accounts only.</summary>
    public string? MerchantId { get; }

    /// <summary>Set for provider clearing accounts only.</summary>
    public PayoutMethod? Provider { get; }

    public bool MustStayNonNegative => Kind.MustStayNonNegative();

    public static LedgerAccountKey MerchantAvailable(string merchantId, Currency currency) =>
        Merchant(LedgerAccountKind.MerchantAvailable, merchantId, currency);

    public static LedgerAccountKey MerchantPending(string merchantId, Currency currency) =>
        Merchant(LedgerAccountKind.MerchantPending, merchantId, currency);

    public static LedgerAccountKey MerchantReserved(string merchantId, Currency currency) =>
        Merchant(LedgerAccountKind.MerchantReserved, merchantId, currency);

    public static LedgerAccountKey PlatformFeeRevenue(Currency currency) =>
        new(LedgerAccountKind.PlatformFeeRevenue, currency, merchantId: null, provider: null);

    public static LedgerAccountKey ProviderClearing(PayoutMethod provider, Currency currency) =>
        new(LedgerAccountKind.ProviderClearing, currency, merchantId: null, provider);

    public static LedgerAccountKey ExternalFunding(Currency currency) =>
        new(LedgerAccountKind.ExternalFunding, currency, merchantId: null, provider: null);

    /// <summary>A stable, readable name such as "merchant:m-1:available:USD" or "provider-clearing:payoneer:EUR".</summary>
    public override string ToString() => Kind switch
    {
        LedgerAccountKind.MerchantAvailable => $"merchant:{MerchantId}:available:{Currency}",
        LedgerAccountKind.MerchantPending => $"merchant:{MerchantId}:pending:{Currency}",
        LedgerAccountKind.MerchantReserved => $"merchant:{MerchantId}:reserved:{Currency}",
        LedgerAccountKind.PlatformFeeRevenue => $"platform-fee-revenue:{Currency}",
        LedgerAccountKind.ProviderClearing => $"provider-clearing:{Provider?.ToApiName()}:{Currency}",
        LedgerAccountKind.ExternalFunding => $"external-funding:{Currency}",
        _ => $"{Kind}:{Currency}",
    };

    private static LedgerAccountKey Merchant(LedgerAccountKind kind, string merchantId, Currency currency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantId);
        return new LedgerAccountKey(kind, currency, merchantId, provider: null);
    }
}
