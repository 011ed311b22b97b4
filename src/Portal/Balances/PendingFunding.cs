using Cashout.Domain.Monetary;

namespace Cashout.Portal.Balances;

/// <summary>A sale credited to a merchant's pending balance, to become available on its settlement date.</summary>
public sealed class PendingFunding
{
    private PendingFunding()
    {
    }

    public PendingFunding(string merchantId, Money amount, DateTimeOffset settlesAt, string description, DateTimeOffset now)
    {
        MerchantId = merchantId;
        Amount = amount.MinorUnits;
        Currency = amount.Currency.Code;
        SettlesAt = settlesAt;
        Description = description;
        CreatedAt = now;
    }

    public long Id { get; private set; }

    public string MerchantId { get; private set; } = "";

    public long Amount { get; private set; }

    public string Currency { get; private set; } = "";

    public string Description { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset SettlesAt { get; private set; }

    public DateTimeOffset? SettledAt { get; private set; }

    public Money Money => Money.Of(Amount, Cashout.Domain.Monetary.Currency.Parse(Currency));

    public bool IsDue(DateTimeOffset now) => SettledAt is null && SettlesAt <= now;

    public void MarkSettled(DateTimeOffset now) => SettledAt = now;
}
