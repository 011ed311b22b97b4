using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Cashout.Portal.Identity.Sessions;

namespace Cashout.Portal.Admin.Users;

public sealed record ResetTwoFactorCommand(string UserId, string Reason);

/// <summary>
/// An admin resets someone's second factors (a lost phone, a stolen key): the authenticator app, the recovery codes
/// and every passkey are removed, the security stamp renewed and every session ended, so the person signs in with
/// the password and enrols again (an admin before any admin page opens). Audited; the person is emailed.
/// </summary>
public sealed class ResetTwoFactor(AccountChange changes, UserSessions sessions)
{
    // Where Identity's user store keeps the authenticator key and the recovery codes (AspNetUserTokens).
    private const string IdentityTokenProvider = "[AspNetUserStore]";
    private const string AuthenticatorKeyToken = "AuthenticatorKey";
    private const string RecoveryCodesToken = "RecoveryCodes";

    public async Task<CommandResult> HandleAsync(Caller caller, ResetTwoFactorCommand command, CancellationToken cancellationToken = default)
    {
        if (AdminReason.CheckAction(caller, command.UserId, command.Reason, "Manage your own two-factor authentication under Profile and security.") is { } refused)
        {
            return refused;
        }

        var reason = command.Reason.Trim();
        var result = await changes.RunAsync(command.UserId, async (users, user) =>
        {
            var passkeys = await users.GetPasskeysAsync(user);
            var before = new
            {
                twoFactorEnabled = user.TwoFactorEnabled,
                authenticator = await users.GetAuthenticatorKeyAsync(user) is not null,
                recoveryCodes = await users.CountRecoveryCodesAsync(user),
                passkeys = passkeys.Count,
            };
            if (!before.twoFactorEnabled && !before.authenticator && before.recoveryCodes == 0 && before.passkeys == 0)
            {
                return AccountChange.Refused("nothing_to_reset", $"{user.Email} has no authenticator app, recovery codes or passkeys.");
            }

            // Not SetTwoFactorEnabledAsync: PortalUserManager records that as the person's own change.
            user.TwoFactorEnabled = false;
            var changed = await users.RemoveAuthenticationTokenAsync(user, IdentityTokenProvider, AuthenticatorKeyToken);
            if (changed.Succeeded)
            {
                changed = await users.RemoveAuthenticationTokenAsync(user, IdentityTokenProvider, RecoveryCodesToken);
            }

            foreach (var passkey in passkeys.TakeWhile(_ => changed.Succeeded))
            {
                changed = await users.RemovePasskeyAsync(user, passkey.CredentialId);
            }

            if (changed.Succeeded)
            {
                changed = await users.UpdateSecurityStampAsync(user);
            }

            return changed.Succeeded
                ? (CommandResult.Ok, new AccountChangeRecord(
                    AuditRecord.AdminAction(caller, AuditActions.TwoFactorReset, $"Reset the two-factor authentication of {user.Email}", "user", user.Id,
                        before, new { twoFactorEnabled = false, authenticator = false, recoveryCodes = 0, passkeys = 0, reason }),
                    EmailTemplates.TwoFactorReset(reason)))
                : AccountChange.Failed("reset_failed", changed);
        }, cancellationToken);

        if (result.Succeeded)
        {
            await sessions.EndAllButAsync(command.UserId, keepSessionId: null, "two_factor_reset", cancellationToken);
        }

        return result;
    }
}
