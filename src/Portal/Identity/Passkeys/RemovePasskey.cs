using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Email;

namespace Cashout.Portal.Identity.Passkeys;

/// <summary>
/// The person removes one of its passkeys, after a recent re-authentication; it no longer signs in from then on.
/// An admin without an authenticator app keeps its last passkey: without it the back office would lock it out.
/// Audited and emailed.
/// </summary>
public sealed class RemovePasskey(AccountChange changes, StepUpPolicy stepUp)
{
    public async Task<CommandResult> HandleAsync(Caller caller, string passkeyId, CancellationToken cancellationToken = default)
    {
        if (caller.IsSystem || caller.ViaApiCredential || string.IsNullOrEmpty(caller.Id) || PasskeyIds.Parse(passkeyId) is not { } credentialId)
        {
            return CommandResult.NotFound;
        }

        if (!stepUp.IsSatisfied(caller))
        {
            return CommandResult.Refused(StepUpPolicy.RequiredCode, StepUpPolicy.RequiredMessage);
        }

        return await changes.RunAsync(caller.Id, async (users, user) =>
        {
            var passkeys = await users.GetPasskeysAsync(user);
            if (passkeys.FirstOrDefault(p => p.CredentialId.AsSpan().SequenceEqual(credentialId)) is not { } passkey)
            {
                return (CommandResult.NotFound, null);
            }

            if (passkeys.Count == 1 && !user.TwoFactorEnabled && await users.IsInRoleAsync(user, PortalRoles.Admin))
            {
                return AccountChange.Refused("last_second_factor",
                    "This passkey is your only second factor, which admins must have. Set up an authenticator app or add another passkey first.");
            }

            var removed = await users.RemovePasskeyAsync(user, credentialId);
            var name = passkey.Name ?? "Unnamed passkey";
            return removed.Succeeded
                ? (CommandResult.Ok, new AccountChangeRecord(
                    AuditRecord.SecurityEvent(AuditActor.From(caller), AuditActions.PasskeyRemoved, $"Removed the passkey \"{name}\"",
                        before: new { passkey = PasskeyIds.Short(passkeyId), name }, after: new { passkeys = passkeys.Count - 1 }),
                    EmailTemplates.PasskeyRemoved(name)))
                : AccountChange.Failed("passkey_not_removed", removed);
        }, cancellationToken);
    }
}
