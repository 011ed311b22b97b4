using Cashout.Portal.Audit;
using Cashout.Portal.Common;

namespace Cashout.Portal.Identity.Sessions;

/// <summary>
/// The person signs out one of its other sessions, or every one but the current ("sign out everywhere else").
/// The ended session's next request is sent to sign in; a circuit of it on this node signs out at once. Audited.
/// </summary>
public sealed class EndSessions(UserSessions sessions, AuditLog audit)
{
    public const string EndedByUser = "ended_by_user";

    public async Task<CommandResult> EndOneAsync(Caller caller, string sessionId, string? currentSessionId, CancellationToken cancellationToken = default)
    {
        if (caller.IsSystem || string.IsNullOrEmpty(caller.Id))
        {
            return CommandResult.NotFound;
        }

        if (sessionId == currentSessionId)
        {
            return CommandResult.Refused("current_session", "This is the session you are using: sign out instead.");
        }

        // Only the caller's own sessions match, so someone else's session id is simply not found.
        if (await sessions.EndOneAsync(caller.Id, sessionId, EndedByUser, cancellationToken) == 0)
        {
            return CommandResult.NotFound;
        }

        await audit.RecordAsync(AuditRecord.SecurityEvent(AuditActor.From(caller), AuditActions.SessionEnded, "Signed out another session", after: new { session = sessionId[..8] }), cancellationToken);
        return CommandResult.Ok;
    }

    public async Task<CommandResult> EndOthersAsync(Caller caller, string currentSessionId, CancellationToken cancellationToken = default)
    {
        if (caller.IsSystem || string.IsNullOrEmpty(caller.Id))
        {
            return CommandResult.NotFound;
        }

        var ended = await sessions.EndAllButAsync(caller.Id, currentSessionId, EndedByUser, cancellationToken);
        await audit.RecordAsync(AuditRecord.SecurityEvent(AuditActor.From(caller), AuditActions.SessionEnded, "Signed out everywhere else", after: new { sessions = ended }), cancellationToken);
        return CommandResult.Ok;
    }
}
