using System.Security.Cryptography;

namespace Cashout.Portal.Webhooks;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One event owed to a merchant's endpoint. Written in the same database transaction as the change it reports,
/// delivered later by <see cref="WebhookDeliveryJob"/>: at least once, retried on <see cref="RetrySchedule"/>.
/// The id is the Standard Webhooks <c>webhook-id</c>: receivers de-duplicate by it.
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary>Standard Webhooks' schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then it gives up.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public static int MaxAttempts => RetrySchedule.Count + 1;

    private WebhookDelivery()
    {
    }

    public WebhookDelivery(string merchantId, string eventType, string payload, DateTimeOffset now)
    {
        Id = "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        MerchantId = merchantId;
        EventType = eventType;
        Payload = payload;
        CreatedAt = now;
        NextAttemptAt = now;
        Status = WebhookDeliveryStatus.Pending;
    }

    public string Id { get; private set; } = "";

    public string MerchantId { get; private set; } = "";

    public string EventType { get; private set; } = "";

    /// <summary>The exact JSON body sent (and signed) on every attempt.</summary>
    public string Payload { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public WebhookDeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public int? LastResponseCode { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public List<WebhookAttempt> AttemptLog { get; private set; } = [];

    public void RecordSuccess(int responseCode, DateTimeOffset now, long durationMs)
    {
        Attempts++;
        LastResponseCode = responseCode;
        LastError = null;
        Status = WebhookDeliveryStatus.Delivered;
        DeliveredAt = now;
        AttemptLog.Add(new WebhookAttempt(Id, Attempts, now, responseCode, error: null, durationMs));
    }

    /// <summary>Records a failed attempt (a non-2xx answer or no answer) and schedules the next, or gives up.</summary>
    public void RecordFailure(int? responseCode, string error, DateTimeOffset now, long durationMs)
    {
        Attempts++;
        LastResponseCode = responseCode;
        LastError = error.Length > 300 ? error[..300] : error;
        AttemptLog.Add(new WebhookAttempt(Id, Attempts, now, responseCode, LastError, durationMs));
        if (Attempts >= MaxAttempts)
        {
            Status = WebhookDeliveryStatus.Failed;
            return;
        }

        NextAttemptAt = now + RetrySchedule[Attempts - 1];
    }
}

/// <summary>One try at delivering a webhook: when, what the endpoint answered, how long it took.</summary>
public sealed class WebhookAttempt
{
    private WebhookAttempt()
    {
    }

    public WebhookAttempt(string deliveryId, int number, DateTimeOffset at, int? responseCode, string? error, long durationMs)
    {
        DeliveryId = deliveryId;
        Number = number;
        At = at;
        ResponseCode = responseCode;
        Error = error;
        DurationMs = durationMs;
    }

    public long Id { get; private set; }

    public string DeliveryId { get; private set; } = "";

    public int Number { get; private set; }

    public DateTimeOffset At { get; private set; }

    public int? ResponseCode { get; private set; }

    public string? Error { get; private set; }

    public long DurationMs { get; private set; }
}
