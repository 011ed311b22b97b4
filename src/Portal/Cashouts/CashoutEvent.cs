using Cashout.Domain.Cashouts;

namespace Cashout.Portal.Cashouts;

public enum CashoutEventType
{
    StatusChanged,
    EmailQueued,
    ProviderEvent,
}

/// <summary>One line of a cashout's timeline: a status change, an email, or something the provider reported.</summary>
public sealed class CashoutEvent
{
    private CashoutEvent()
    {
    }

    public long Id { get; private set; }

    public long CashoutId { get; private set; }

    public CashoutEventType Type { get; private set; }

    public DateTimeOffset At { get; private set; }

    public CashoutStatus? FromStatus { get; private set; }

    public CashoutStatus? ToStatus { get; private set; }

    public ActorKind ActorKind { get; private set; }

    public string ActorId { get; private set; } = "";

    public string? Reason { get; private set; }

    public string? ProviderCode { get; private set; }

    /// <summary>Free text for emails and provider events, e.g. "Email 'Cashout requested' to merchant@cashout.test".</summary>
    public string? Detail { get; private set; }

    public static CashoutEvent StatusChanged(long cashoutId, CashoutTimelineEvent change) => new()
    {
        CashoutId = cashoutId,
        Type = CashoutEventType.StatusChanged,
        At = change.At,
        FromStatus = change.From,
        ToStatus = change.To,
        ActorKind = change.Actor.Kind,
        ActorId = change.Actor.Id,
        Reason = change.Reason,
        ProviderCode = change.ProviderCode,
    };

    public static CashoutEvent EmailQueued(long cashoutId, string subject, string to, DateTimeOffset at) => new()
    {
        CashoutId = cashoutId,
        Type = CashoutEventType.EmailQueued,
        At = at,
        ActorKind = ActorKind.System,
        ActorId = "email",
        Detail = $"Email \"{subject}\" queued to {to}",
    };

    /// <summary>Something a provider reported (a webhook, a status poll, a submission answer), applied or not.</summary>
    public static CashoutEvent ProviderReported(long cashoutId, string provider, string detail, string? code, string? reason, DateTimeOffset at) => new()
    {
        CashoutId = cashoutId,
        Type = CashoutEventType.ProviderEvent,
        At = at,
        ActorKind = ActorKind.Provider,
        ActorId = provider,
        Reason = reason is { Length: > 500 } ? reason[..500] : reason,
        ProviderCode = code is { Length: > 50 } ? code[..50] : code,
        Detail = detail.Length > 500 ? detail[..500] : detail,
    };
}
