using Cashout.Portal.Common;

namespace Cashout.Portal.Admin.Users;

/// <summary>Every change an admin makes to someone's account says why: the audit log keeps it, the person reads it.</summary>
public static class AdminReason
{
    public const int MaxLength = 500;

    /// <summary>The refusal for a missing or overlong reason, or null when it will do.</summary>
    public static CommandResult? Check(string? reason) => reason?.Trim() switch
    {
        null or "" => CommandResult.Refused("reason_required", "A reason is required."),
        { Length: > MaxLength } => CommandResult.Refused("reason_too_long", $"Keep the reason to {MaxLength} characters."),
        _ => null,
    };

    /// <summary>The checks every user-management action starts with: an admin, a reason, someone else when it must be.</summary>
    public static CommandResult? CheckAction(Caller caller, string userId, string? reason, string? ownAccountRefusal = null)
    {
        if (!caller.IsAdmin)
        {
            return caller.IsMerchant ? CommandResult.Forbidden : CommandResult.NotFound;
        }

        if (ownAccountRefusal is not null && userId == caller.Id)
        {
            return CommandResult.Refused("own_account", ownAccountRefusal);
        }

        return Check(reason);
    }
}
