using System.Text.Json;
using Cashout.Portal.Common;

namespace Cashout.Portal.Audit;

/// <summary>Who did it and from where.</summary>
public sealed record AuditActor(AuditActorKind Kind, string? Id, string? IpAddress, string? Name = null)
{
    public static AuditActor From(Caller caller) => new(
        caller.IsAdmin ? AuditActorKind.Admin : caller.IsSystem ? AuditActorKind.System : AuditActorKind.Merchant,
        caller.Id,
        caller.ClientAddress);

    /// <summary>A signed-in user acting on their own account (sign-in, password, two-factor, step-up).</summary>
    public static AuditActor User(string userId, bool isAdmin, string? ipAddress) =>
        new(isAdmin ? AuditActorKind.Admin : AuditActorKind.Merchant, userId, ipAddress);

    /// <summary>Someone not signed in, e.g. a failed sign-in with an email that has no account.</summary>
    public static AuditActor Anonymous(string? typedEmail, string? ipAddress) =>
        new(AuditActorKind.Anonymous, null, ipAddress, typedEmail is null ? null : Truncate(typedEmail, 256));

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

/// <summary>What to append to the audit log; the writer adds the id, the time and the chain.</summary>
public sealed record AuditRecord(
    AuditCategory Category,
    string Action,
    AuditActor Actor,
    string Summary,
    string? SubjectType = null,
    string? SubjectId = null,
    object? Before = null,
    object? After = null)
{
    public string? BeforeJson => Before is null ? null : JsonSerializer.Serialize(Before, PortalJson.Options);

    public string? AfterJson => After is null ? null : JsonSerializer.Serialize(After, PortalJson.Options);

    public static AuditRecord AdminAction(Caller caller, string action, string summary, string subjectType, string subjectId, object? before, object? after) =>
        new(AuditCategory.AdminAction, action, AuditActor.From(caller), summary, subjectType, subjectId, before, after);

    /// <summary>
    /// A merchant changed what its account stands on: where its money is paid (link, unlink), the first thing to look
    /// at after a takeover, or the business details it gives for verification.
    /// </summary>
    public static AuditRecord MerchantAccountChange(Caller caller, string action, string summary, string merchantId, object? before, object? after) =>
        new(AuditCategory.SecurityEvent, action, AuditActor.From(caller), summary, "merchant", merchantId, before, after);

    public static AuditRecord SecurityEvent(AuditActor actor, string action, string summary, object? before = null, object? after = null) =>
        new(AuditCategory.SecurityEvent, action, actor, summary, "user", actor.Id, before, after);
}
