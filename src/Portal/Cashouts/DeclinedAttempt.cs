using Cashout.Domain.Cashouts;

namespace Cashout.Portal.Cashouts;

/// <summary>A cashout request that failed the rules: no cashout was created, but admins see who, when, what and why.</summary>
public sealed class DeclinedAttempt
{
    private DeclinedAttempt()
    {
    }

    public DeclinedAttempt(string merchantId, string source, string method, long amount, string currency, CashoutDecline decline, DateTimeOffset at)
    {
        MerchantId = merchantId;
        Source = source;
        Method = method;
        Amount = amount;
        Currency = currency;
        Rule = decline.Rule;
        Message = decline.Message;
        Detail = decline.Detail;
        At = at;
    }

    public long Id { get; private set; }

    public string MerchantId { get; private set; } = "";

    /// <summary>Where the request came from: portal, api-a, api-b, api-c.</summary>
    public string Source { get; private set; } = "";

    public string Method { get; private set; } = "";

    public long Amount { get; private set; }

    public string Currency { get; private set; } = "";

    public CashoutDeclineRule Rule { get; private set; }

    public string Message { get; private set; } = "";

    public string Detail { get; private set; } = "";

    public DateTimeOffset At { get; private set; }
}
