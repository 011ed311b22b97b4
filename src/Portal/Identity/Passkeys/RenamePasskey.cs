using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Email;

namespace Cashout.Portal.Identity.Passkeys;

public sealed record RenamePasskeyCommand(string PasskeyId, string Name);

/// <summary>The person renames one of its passkeys. Audited and emailed like every passkey change.</summary>
public sealed class RenamePasskey(AccountChange changes)
{
    public async Task<CommandResult> HandleAsync(Caller caller, RenamePasskeyCommand command, CancellationToken cancellationToken = default)
    {
        if (caller.IsSystem || caller.ViaApiCredential || string.IsNullOrEmpty(caller.Id) || PasskeyIds.Parse(command.PasskeyId) is not { } credentialId)
        {
            return CommandResult.NotFound;
        }

        if (PasskeyNames.Check(command.Name) is { } problem)
        {
            return CommandResult.Refused("invalid_name", problem);
        }

        var name = command.Name.Trim();
        return await changes.RunAsync(caller.Id, async (users, user) =>
        {
            // Only the caller's own passkeys are looked up, so another account's id is simply not found.
            if (await users.GetPasskeyAsync(user, credentialId) is not { } passkey)
            {
                return (CommandResult.NotFound, null);
            }

            var before = passkey.Name;
            if (before == name)
            {
                return (CommandResult.Ok, null);
            }

            passkey.Name = name;
            var renamed = await users.AddOrUpdatePasskeyAsync(user, passkey);
            return renamed.Succeeded
                ? (CommandResult.Ok, new AccountChangeRecord(
                    AuditRecord.SecurityEvent(AuditActor.From(caller), AuditActions.PasskeyRenamed, $"Renamed the passkey \"{before}\" to \"{name}\"",
                        before: new { passkey = PasskeyIds.Short(command.PasskeyId), name = before }, after: new { passkey = PasskeyIds.Short(command.PasskeyId), name }),
                    EmailTemplates.PasskeyRenamed(before ?? "Unnamed passkey", name)))
                : AccountChange.Failed("passkey_not_renamed", renamed);
        }, cancellationToken);
    }
}
