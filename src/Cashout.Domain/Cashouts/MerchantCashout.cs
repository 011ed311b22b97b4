using Cashout.Domain.Fees;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Cashouts;

/// <summary>Why a cashout is created on hold, and by whom (the merchant's API flag or a risk rule).</summary>
public sealed record InitialHold(Actor HeldBy, string Reason);

/// <summary>A new cashout and what its creation asks the host to write.</summary>
public sealed record CashoutCreated(MerchantCashout Cashout, CashoutTransition Transition);

/// <summary>
/// A merchant's request to withdraw money, and its lifecycle (DESIGN.md section 2). Named
/// MerchantCashout rather than Cashout because a type called Cashout would clash with the root
/// namespace Cashout everywhere outside this namespace (CS0118).
/// Each transition checks its own rules, changes nothing when it refuses, and on success returns
/// the ledger posting, timeline event and email stage to persist with the new status. The host
/// applies a transition only if <see cref="Version"/> is still what it read (optimistic concurrency).
/// </summary>
public sealed class MerchantCashout
{
    // For materialisation by the persistence layer; domain code uses Create.
    private MerchantCashout()
    {
        MerchantId = string.Empty;
        PayeeReference = string.Empty;
        Quote = null!;
    }

    private MerchantCashout(string merchantId, Quote quote, string payeeReference, string? externalId, DateTimeOffset createdAt)
    {
        MerchantId = merchantId;
        Quote = quote;
        PayeeReference = payeeReference;
        ExternalId = externalId;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        Method = quote.Method;
        FeeSemantics = quote.Semantics;
        Amount = quote.Amount;
        Fee = quote.Fee;
        NetPayout = quote.NetPayout;
        Debit = quote.TotalDebit;
    }

    /// <summary>Assigned by storage.</summary>
    public long Id { get; private set; }

    public string MerchantId { get; private set; }

    public PayoutMethod Method { get; private set; }

    public FeeSemantics FeeSemantics { get; private set; }

    /// <summary>The amount the merchant asked for.</summary>
    public Money Amount { get; private set; }

    public Money Fee { get; private set; }

    /// <summary>What the payee receives.</summary>
    public Money NetPayout { get; private set; }

    /// <summary>What was taken from available into reserved when the cashout was requested.</summary>
    public Money Debit { get; private set; }

    public Currency Currency => Amount.Currency;

    /// <summary>The quote shown when the cashout was requested; fee changes later do not touch it.</summary>
    public Quote Quote { get; private set; }

    /// <summary>Where the money goes: the payee email or id, or the bank transfer instrument's reference.</summary>
    public string PayeeReference { get; private set; }

    /// <summary>The integrator's own id (family C's external_id), unique per merchant.</summary>
    public string? ExternalId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public CashoutStatus Status { get; private set; }

    public string? HoldReason { get; private set; }

    public ActorKind? HeldBy { get; private set; }

    public string? ProviderReference { get; private set; }

    public string? RejectionCode { get; private set; }

    public string? RejectionReason { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Until when a completed payout may still come back (Completed -> Returned).</summary>
    public DateTimeOffset? ReversibleUntil { get; private set; }

    /// <summary>Incremented by every transition; the host writes only if it is unchanged since it read.</summary>
    public int Version { get; private set; }

    private CashoutSettlement Settlement => new(Debit, NetPayout, Fee);

    /// <summary>
    /// Creates a cashout from an accepted request: Pending, or OnHold when <paramref name="initialHold"/>
    /// is given. The posting reserves the debit.
    /// </summary>
    public static Result<CashoutCreated, DomainError> Create(
        string merchantId,
        Quote quote,
        string payeeReference,
        Actor requestedBy,
        DateTimeOffset now,
        string? externalId = null,
        InitialHold? initialHold = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(payeeReference);
        ArgumentNullException.ThrowIfNull(quote);

        if (initialHold is not null && string.IsNullOrWhiteSpace(initialHold.Reason))
        {
            return CashoutErrors.ReasonRequired("hold");
        }

        var cashout = new MerchantCashout(merchantId, quote, payeeReference, externalId, now);
        CashoutTransition transition;
        if (initialHold is null)
        {
            cashout.Status = CashoutStatus.Pending;
            transition = new CashoutTransition(
                new CashoutTimelineEvent(null, CashoutStatus.Pending, requestedBy, now, Reason: null, ProviderCode: null),
                LedgerPostings.ReserveForCashout(merchantId, cashout.Debit),
                CashoutEmailStage.Requested);
        }
        else
        {
            cashout.Status = CashoutStatus.OnHold;
            cashout.HoldReason = initialHold.Reason.Trim();
            cashout.HeldBy = initialHold.HeldBy.Kind;
            // The merchant learns of the request and the hold in one email: the on-hold one, with its reason.
            transition = new CashoutTransition(
                new CashoutTimelineEvent(null, CashoutStatus.OnHold, initialHold.HeldBy, now, cashout.HoldReason, ProviderCode: null),
                LedgerPostings.ReserveForCashout(merchantId, cashout.Debit),
                CashoutEmailStage.OnHold);
        }

        return new CashoutCreated(cashout, transition);
    }

    /// <summary>Pending -> OnHold. A reason is required; providers cannot hold.</summary>
    public Result<CashoutTransition, DomainError> Hold(Actor actor, string reason, DateTimeOffset now)
    {
        if (Status != CashoutStatus.Pending)
        {
            return CashoutErrors.InvalidTransition(Status, "put on hold");
        }

        if (actor.Kind == ActorKind.Provider)
        {
            return CashoutErrors.NotAllowedForActor(actor, "hold");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return CashoutErrors.ReasonRequired("hold");
        }

        HoldReason = reason.Trim();
        HeldBy = actor.Kind;
        return MoveTo(CashoutStatus.OnHold, actor, now, HoldReason, providerCode: null, posting: null, CashoutEmailStage.OnHold);
    }

    /// <summary>
    /// OnHold -> Pending. An admin may release any hold; anyone else only a hold of their own kind,
    /// so a merchant cannot lift a hold placed by an admin or a risk rule.
    /// </summary>
    public Result<CashoutTransition, DomainError> Release(Actor actor, DateTimeOffset now)
    {
        if (Status != CashoutStatus.OnHold)
        {
            return CashoutErrors.InvalidTransition(Status, "released");
        }

        if (actor.Kind != ActorKind.Admin && actor.Kind != HeldBy)
        {
            return actor.Kind == ActorKind.Merchant && HeldBy is { } holder
                ? CashoutErrors.HeldForReview(holder)
                : CashoutErrors.NotAllowedForActor(actor, "release");
        }

        HoldReason = null;
        HeldBy = null;
        return MoveTo(CashoutStatus.Pending, actor, now, reason: null, providerCode: null, posting: null, CashoutEmailStage.Released);
    }

    /// <summary>
    /// Pending or OnHold -> Cancelled, funds back to available. A merchant may cancel while Pending, or while on a
    /// hold it placed itself (holds have an owner); a hold placed by an admin or a risk rule is cancelled by an admin
    /// only, who must give a reason. Never once Processing.
    /// </summary>
    public Result<CashoutTransition, DomainError> Cancel(Actor actor, string? reason, DateTimeOffset now)
    {
        if (!Status.IsAwaitingSubmission())
        {
            return CashoutErrors.InvalidTransition(Status, "cancelled");
        }

        var allowed = actor.Kind switch
        {
            ActorKind.Merchant => Status == CashoutStatus.Pending || HeldBy == ActorKind.Merchant,
            ActorKind.Admin => true,
            _ => false,
        };
        if (!allowed)
        {
            return actor.Kind == ActorKind.Merchant && HeldBy is { } holder
                ? CashoutErrors.HeldForReview(holder)
                : CashoutErrors.NotAllowedForActor(actor, "cancel");
        }

        if (actor.Kind == ActorKind.Admin && string.IsNullOrWhiteSpace(reason))
        {
            return CashoutErrors.ReasonRequired("cancel");
        }

        HoldReason = null;
        HeldBy = null;
        return MoveTo(
            CashoutStatus.Cancelled,
            actor,
            now,
            reason?.Trim(),
            providerCode: null,
            LedgerPostings.ReleaseOnCancel(MerchantId, Debit),
            CashoutEmailStage.Cancelled);
    }

    /// <summary>Pending -> Processing: the provider accepted the payout under <paramref name="providerReference"/>.</summary>
    public Result<CashoutTransition, DomainError> Submit(Actor actor, string providerReference, DateTimeOffset now)
    {
        if (Status != CashoutStatus.Pending)
        {
            return CashoutErrors.InvalidTransition(Status, "submitted");
        }

        if (actor.Kind == ActorKind.Merchant)
        {
            return CashoutErrors.NotAllowedForActor(actor, "submit");
        }

        if (string.IsNullOrWhiteSpace(providerReference))
        {
            return CashoutErrors.ProviderReferenceRequired();
        }

        ProviderReference = providerReference.Trim();
        return MoveTo(CashoutStatus.Processing, actor, now, reason: null, providerCode: null, posting: null, CashoutEmailStage.Processing);
    }

    /// <summary>
    /// Processing -> Completed: the payee was paid. The debit leaves reserved for provider clearing and
    /// fee revenue; the payout may come back until <paramref name="now"/> + <paramref name="reversalWindow"/>.
    /// </summary>
    public Result<CashoutTransition, DomainError> Complete(Actor actor, DateTimeOffset now, TimeSpan reversalWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reversalWindow, TimeSpan.Zero);

        if (Status != CashoutStatus.Processing)
        {
            return CashoutErrors.InvalidTransition(Status, "completed");
        }

        if (actor.Kind == ActorKind.Merchant)
        {
            return CashoutErrors.NotAllowedForActor(actor, "complete");
        }

        CompletedAt = now;
        ReversibleUntil = now + reversalWindow;
        return MoveTo(
            CashoutStatus.Completed,
            actor,
            now,
            reason: null,
            providerCode: null,
            LedgerPostings.CompleteCashout(MerchantId, Method, Settlement),
            CashoutEmailStage.Completed);
    }

    /// <summary>Processing -> Failed with the provider's code and reason; amount and fee go back to available.</summary>
    public Result<CashoutTransition, DomainError> Fail(Actor actor, string rejectionCode, string rejectionReason, DateTimeOffset now)
    {
        if (Status != CashoutStatus.Processing)
        {
            return CashoutErrors.InvalidTransition(Status, "failed");
        }

        var refusal = CheckProviderOutcome(actor, "fail", rejectionCode, rejectionReason);
        if (refusal is not null)
        {
            return refusal;
        }

        return Reject(CashoutStatus.Failed, actor, rejectionCode, rejectionReason, now, LedgerPostings.ReleaseOnFail(MerchantId, Debit), CashoutEmailStage.Failed);
    }

    /// <summary>
    /// Completed -> Returned, only within the reversal window: the beneficiary's bank sent the money back.
    /// Amount and fee go back to available.
    /// </summary>
    public Result<CashoutTransition, DomainError> Return(Actor actor, string rejectionCode, string rejectionReason, DateTimeOffset now)
    {
        if (Status != CashoutStatus.Completed)
        {
            return CashoutErrors.InvalidTransition(Status, "returned");
        }

        if (now > ReversibleUntil)
        {
            return CashoutErrors.ReversalWindowClosed(ReversibleUntil.GetValueOrDefault());
        }

        var refusal = CheckProviderOutcome(actor, "return", rejectionCode, rejectionReason);
        if (refusal is not null)
        {
            return refusal;
        }

        return Reject(CashoutStatus.Returned, actor, rejectionCode, rejectionReason, now, LedgerPostings.ReturnCashout(MerchantId, Method, Settlement), CashoutEmailStage.Returned);
    }

    /// <summary>What the ledger invariant checker needs to match this cashout against the reserved balance.</summary>
    public CashoutReservationFact ToReservationFact() => new(Id.ToString(System.Globalization.CultureInfo.InvariantCulture), MerchantId, Status, Debit);

    private static DomainError? CheckProviderOutcome(Actor actor, string action, string rejectionCode, string rejectionReason)
    {
        if (actor.Kind == ActorKind.Merchant)
        {
            return CashoutErrors.NotAllowedForActor(actor, action);
        }

        return string.IsNullOrWhiteSpace(rejectionCode) || string.IsNullOrWhiteSpace(rejectionReason)
            ? CashoutErrors.RejectionCodeRequired()
            : null;
    }

    private CashoutTransition Reject(
        CashoutStatus to,
        Actor actor,
        string rejectionCode,
        string rejectionReason,
        DateTimeOffset now,
        LedgerTransaction posting,
        CashoutEmailStage email)
    {
        RejectionCode = rejectionCode.Trim();
        RejectionReason = rejectionReason.Trim();
        return MoveTo(to, actor, now, RejectionReason, RejectionCode, posting, email);
    }

    private CashoutTransition MoveTo(
        CashoutStatus to,
        Actor actor,
        DateTimeOffset now,
        string? reason,
        string? providerCode,
        LedgerTransaction? posting,
        CashoutEmailStage email)
    {
        var from = Status;
        Status = to;
        UpdatedAt = now;
        Version++;
        return new CashoutTransition(new CashoutTimelineEvent(from, to, actor, now, reason, providerCode), posting, email);
    }
}
