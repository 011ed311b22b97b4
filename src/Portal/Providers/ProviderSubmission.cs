using System.Globalization;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Providers;

/// <summary>
/// The portal's side of one payout at its provider: whether the provider has acknowledged the cashout yet, when
/// to try again, when it was last heard of. A Processing cashout without an acknowledged submission is sent
/// (again, with the same idempotency key) by the submit job, so a crash between "Processing" and "sent" loses nothing.
/// </summary>
public sealed class ProviderSubmission
{
    private ProviderSubmission()
    {
    }

    public long CashoutId { get; private set; }

    public PayoutMethod Provider { get; private set; }

    public string IdempotencyKey { get; private set; } = "";

    /// <summary>The provider's own id of the payout, once it acknowledged it.</summary>
    public string? ProviderPayoutId { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>When the provider last told us about this payout (answer, webhook or poll): the track job polls when it is too long ago.</summary>
    public DateTimeOffset LastContactAt { get; private set; }

    public static ProviderSubmission Start(long cashoutId, PayoutMethod provider, DateTimeOffset now) => new()
    {
        CashoutId = cashoutId,
        Provider = provider,
        IdempotencyKey = PayoutReference.For(cashoutId),
        NextAttemptAt = now,
        LastContactAt = now,
    };

    public void RecordAttempt() => Attempts++;

    public void RecordAccepted(string providerPayoutId, DateTimeOffset now)
    {
        ProviderPayoutId ??= providerPayoutId;
        AcceptedAt ??= now;
        LastError = null;
        LastContactAt = now;
    }

    public void RecordContact(DateTimeOffset now) => LastContactAt = now;

    /// <summary>The provider could not be reached: try again after a growing delay (capped).</summary>
    public void RecordTransientFailure(string error, DateTimeOffset now, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        LastError = error.Length > 500 ? error[..500] : error;
        var delay = baseDelay * Math.Pow(2, Math.Min(Attempts - 1, 16));
        NextAttemptAt = now + (delay > maxDelay ? maxDelay : delay);
    }

    /// <summary>The provider says it never got the payout: send it again (same key) at the next submit run.</summary>
    public void Resubmit(DateTimeOffset now)
    {
        AcceptedAt = null;
        ProviderPayoutId = null;
        NextAttemptAt = now;
    }
}

/// <summary>The reference and idempotency key of a cashout at its provider: <c>cashout-{id}</c>.</summary>
public static class PayoutReference
{
    private const string Prefix = "cashout-";

    public static string For(long cashoutId) => Prefix + cashoutId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? reference, out long cashoutId)
    {
        cashoutId = 0;
        return reference is not null && reference.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(reference.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out cashoutId);
    }
}

/// <summary>A provider webhook already handled, by its <c>webhook-id</c>: a replay changes nothing.</summary>
public sealed class ProviderWebhookReceipt
{
    private ProviderWebhookReceipt()
    {
    }

    public PayoutMethod Provider { get; private set; }

    public string WebhookId { get; private set; } = "";

    public string EventType { get; private set; } = "";

    public long? CashoutId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public static ProviderWebhookReceipt Record(PayoutMethod provider, string webhookId, string eventType, long? cashoutId, DateTimeOffset now) => new()
    {
        Provider = provider,
        WebhookId = webhookId,
        EventType = eventType,
        CashoutId = cashoutId,
        ReceivedAt = now,
    };
}
