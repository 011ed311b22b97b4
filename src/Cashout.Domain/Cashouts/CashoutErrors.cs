namespace Cashout.Domain.Cashouts;

/// <summary>The refusals a cashout's transitions can give. Codes are stable; messages are for people.</summary>
public static class CashoutErrors
{
    public const string InvalidTransitionCode = "invalid_transition";
    public const string ReasonRequiredCode = "reason_required";
    public const string NotAllowedForActorCode = "not_allowed_for_actor";
    public const string HeldForReviewCode = "held_for_review";
    public const string ReversalWindowClosedCode = "reversal_window_closed";
    public const string ProviderReferenceRequiredCode = "provider_reference_required";
    public const string RejectionCodeRequiredCode = "rejection_code_required";

    public static DomainError InvalidTransition(CashoutStatus from, string action) =>
        new(InvalidTransitionCode, $"A cashout that is {Describe(from)} cannot be {action}.");

    public static DomainError ReasonRequired(string action) =>
        new(ReasonRequiredCode, $"A reason is required to {action} a cashout.");

    public static DomainError NotAllowedForActor(Actor actor, string action) =>
        new(NotAllowedForActorCode, $"{ActorDescription(actor.Kind)} cannot {action} this cashout.");

    /// <summary>A merchant tried to release or cancel a hold it did not place: only an admin may.</summary>
    public static DomainError HeldForReview(ActorKind heldBy) =>
        new(HeldForReviewCode, heldBy == ActorKind.Admin
            ? "This cashout was put on hold by an admin: only an admin can release or cancel it."
            : "This cashout is on hold for review by a risk rule: only an admin can release or cancel it.");

    public static DomainError ReversalWindowClosed(DateTimeOffset reversibleUntil) =>
        new(ReversalWindowClosedCode, $"The reversal window closed at {reversibleUntil:u}; the cashout can no longer be returned.");

    public static DomainError ProviderReferenceRequired() =>
        new(ProviderReferenceRequiredCode, "The provider's reference is required to mark a cashout as processing.");

    public static DomainError RejectionCodeRequired() =>
        new(RejectionCodeRequiredCode, "The provider's rejection code and reason are required.");

    private static string Describe(CashoutStatus status) => status switch
    {
        CashoutStatus.OnHold => "on hold",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string ActorDescription(ActorKind kind) => kind switch
    {
        ActorKind.Merchant => "A merchant",
        ActorKind.Admin => "An admin",
        ActorKind.System => "The system",
        ActorKind.Provider => "A provider",
        _ => kind.ToString(),
    };
}
