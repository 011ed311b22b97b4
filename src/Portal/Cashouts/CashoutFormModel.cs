using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Cashouts;

/// <summary>What the merchant types into the cashout form: the amount as text in major units, the currency and the method.</summary>
public sealed class CashoutFormModel
{
    public string? AmountText { get; set; }

    public string CurrencyCode { get; set; } = Currency.Default.Code;

    public PayoutMethod? Method { get; set; }

    public Currency Currency => Currency.TryParse(CurrencyCode, out var currency) ? currency : Currency.Default;
}
