using Cashout.Domain.Ledger;

namespace Cashout.Domain.Cashouts;

/// <summary>The email each stage of a cashout sends.</summary>
public enum CashoutEmailStage
{
    Requested,
    OnHold,
    Released,
    Processing,
    Completed,
    Failed,
    Returned,
    Cancelled,
}

/// <summary>One line of a cashout's timeline: a status change, who made it, and why.</summary>
/// <param name="From">Null when the cashout was just created.</param>
/// <param name="ProviderCode">The provider's rejection or status code, when a provider reported it.</param>
public sealed record CashoutTimelineEvent(
    CashoutStatus? From,
    CashoutStatus To,
    Actor Actor,
    DateTimeOffset At,
    string? Reason,
    string? ProviderCode);

/// <summary>
/// Everything an allowed transition asks the host to write in the same database transaction as the
/// status change: the ledger posting (if money moves), the timeline event and the email to queue.
/// </summary>
public sealed record CashoutTransition(
    CashoutTimelineEvent Event,
    LedgerTransaction? Posting,
    CashoutEmailStage Email);
