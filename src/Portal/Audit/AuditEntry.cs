namespace Cashout.Portal.Audit;

public enum AuditCategory
{
    /// <summary>Something an admin did to a merchant, a cashout or a user.</summary>
    AdminAction,

    /// <summary>
    /// Sign-ins, lockouts, two-factor and password changes, step-up, role changes; a merchant's registration, its
    /// business details for verification and its payout destinations.
    /// </summary>
    SecurityEvent,
}

/// <summary>
/// One line of the audit log: who did what, when, from where, to what, with the state before and after (JSON).
/// Append-only (database triggers refuse UPDATE and DELETE) and hash-chained: <see cref="Hash"/> covers every field
/// and <see cref="PreviousHash"/>, so changing, removing or inserting a row breaks the chain from that row on
/// (<see cref="AuditChain"/>). Ids are consecutive, assigned by the writer while it holds the write lock.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    internal AuditEntry(long id, DateTimeOffset at, AuditRecord record, string? actorName, string previousHash)
    {
        Id = id;
        At = at;
        Category = record.Category;
        Action = record.Action;
        ActorKind = record.Actor.Kind;
        ActorId = record.Actor.Id;
        ActorName = actorName;
        IpAddress = record.Actor.IpAddress;
        SubjectType = record.SubjectType;
        SubjectId = record.SubjectId;
        Summary = record.Summary;
        Before = record.BeforeJson;
        After = record.AfterJson;
        PreviousHash = previousHash;
        Hash = AuditChain.HashOf(this);
    }

    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public AuditCategory Category { get; private set; }

    /// <summary>What happened, a stable name from <see cref="AuditActions"/>.</summary>
    public string Action { get; private set; } = "";

    public AuditActorKind ActorKind { get; private set; }

    /// <summary>The user id (or job name); null for a sign-in attempt with an unknown email.</summary>
    public string? ActorId { get; private set; }

    /// <summary>The actor's email when it happened (or the email typed at a failed sign-in).</summary>
    public string? ActorName { get; private set; }

    public string? IpAddress { get; private set; }

    /// <summary>What it was done to: "merchant", "cashout" or "user", and its id.</summary>
    public string? SubjectType { get; private set; }

    public string? SubjectId { get; private set; }

    /// <summary>One sentence for people, e.g. "Rejected the business details of shop@example.com".</summary>
    public string Summary { get; private set; } = "";

    public string? Before { get; private set; }

    public string? After { get; private set; }

    /// <summary>The hash of the entry before this one; empty for the first entry.</summary>
    public string PreviousHash { get; private set; } = "";

    /// <summary>Lowercase hex SHA-256 over this entry's content and <see cref="PreviousHash"/>.</summary>
    public string Hash { get; private set; } = "";
}

public enum AuditActorKind
{
    Admin,
    Merchant,
    System,

    /// <summary>Nobody signed in yet: a failed sign-in.</summary>
    Anonymous,
}

/// <summary>The stable action names of the audit log.</summary>
public static class AuditActions
{
    public const string MerchantApproved = "merchant.approved";
    public const string MerchantRejected = "merchant.rejected";
    public const string MerchantFunded = "merchant.funded";
    public const string CashoutHeld = "cashout.held";
    public const string CashoutReleased = "cashout.released";
    public const string CashoutCancelled = "cashout.cancelled";
    public const string RoleChanged = "user.role-changed";
    public const string AdminCreated = "user.admin-created";
    public const string MerchantRegistered = "merchant.registered";
    public const string BusinessDetailsSubmitted = "merchant.details-submitted";

    public const string SignInSucceeded = "sign-in.succeeded";
    public const string SignInFailed = "sign-in.failed";
    public const string LockedOut = "sign-in.locked-out";
    public const string TwoFactorEnabled = "two-factor.enabled";
    public const string TwoFactorDisabled = "two-factor.disabled";
    public const string PasswordChanged = "password.changed";
    public const string StepUpSucceeded = "step-up.succeeded";
    public const string StepUpFailed = "step-up.failed";
    public const string SessionEnded = "session.ended";
    public const string PasskeyAdded = "passkey.added";
    public const string PasskeyRenamed = "passkey.renamed";
    public const string PasskeyRemoved = "passkey.removed";
    public const string UserLocked = "user.locked";
    public const string UserUnlocked = "user.unlocked";
    public const string TwoFactorReset = "user.two-factor-reset";
    public const string PaymentMethodLinked = "payment-method.linked";
    public const string PaymentMethodUnlinked = "payment-method.unlinked";

    public static IReadOnlyList<string> All { get; } =
    [
        MerchantRegistered, BusinessDetailsSubmitted, MerchantApproved, MerchantRejected, MerchantFunded, CashoutHeld, CashoutReleased, CashoutCancelled, RoleChanged, AdminCreated,
        UserLocked, UserUnlocked, TwoFactorReset,
        SignInSucceeded, SignInFailed, LockedOut, TwoFactorEnabled, TwoFactorDisabled, PasswordChanged, StepUpSucceeded, StepUpFailed, SessionEnded,
        PasskeyAdded, PasskeyRenamed, PasskeyRemoved,
        PaymentMethodLinked, PaymentMethodUnlinked,
    ];
}
