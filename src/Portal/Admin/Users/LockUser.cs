using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Cashout.Portal.Identity.Sessions;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Admin.Users;

/// <param name="Lock">True locks the account until an admin unlocks it; false unlocks it.</param>
public sealed record LockUserCommand(string UserId, bool Lock, string Reason);

/// <summary>
/// An admin locks someone out (no sign-in of any kind until unlocked) or lets them back in, with a reason. Locking
/// renews the security stamp and ends every session of the person at once. Audited; the person is emailed.
/// </summary>
public sealed class LockUser(AccountChange changes, UserSessions sessions)
{
    public async Task<CommandResult> HandleAsync(Caller caller, LockUserCommand command, CancellationToken cancellationToken = default)
    {
        if (AdminReason.CheckAction(caller, command.UserId, command.Reason, command.Lock ? "You cannot lock your own account." : null) is { } refused)
        {
            return refused;
        }

        var reason = command.Reason.Trim();
        var result = await changes.RunAsync(command.UserId, async (users, user) =>
        {
            var locked = await users.IsLockedOutAsync(user);
            if (locked == command.Lock)
            {
                return AccountChange.Refused(command.Lock ? "already_locked" : "not_locked", $"{user.Email} is {(locked ? "already locked" : "not locked")}.");
            }

            IdentityResult changed;
            if (command.Lock)
            {
                // The end date only counts for an account with lockout enabled (Identity's rule).
                changed = await users.SetLockoutEnabledAsync(user, true);
                if (changed.Succeeded)
                {
                    changed = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
                }

                if (changed.Succeeded)
                {
                    changed = await users.UpdateSecurityStampAsync(user);
                }
            }
            else
            {
                changed = await users.SetLockoutEndDateAsync(user, null);
                if (changed.Succeeded)
                {
                    changed = await users.ResetAccessFailedCountAsync(user);
                }
            }

            if (!changed.Succeeded)
            {
                return AccountChange.Failed(command.Lock ? "lock_failed" : "unlock_failed", changed);
            }

            return (CommandResult.Ok, new AccountChangeRecord(
                AuditRecord.AdminAction(caller, command.Lock ? AuditActions.UserLocked : AuditActions.UserUnlocked,
                    $"{(command.Lock ? "Locked" : "Unlocked")} the account of {user.Email}", "user", user.Id,
                    new { locked }, new { locked = command.Lock, reason }),
                EmailTemplates.AccountLockChanged(command.Lock, reason)));
        }, cancellationToken);

        if (result.Succeeded && command.Lock)
        {
            await sessions.EndAllButAsync(command.UserId, keepSessionId: null, "locked_by_admin", cancellationToken);
        }

        return result;
    }
}
