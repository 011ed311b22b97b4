using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Email;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity.Passkeys;

/// <param name="OwnerId">The account the browser made the passkey for (the attestation's user entity).</param>
/// <param name="Passkey">The verified passkey (SignInManager.PerformPasskeyAttestationAsync).</param>
/// <param name="Name">What the person will see it as; the device's name until they rename it.</param>
public sealed record AddPasskeyCommand(string OwnerId, UserPasskeyInfo Passkey, string Name);

/// <summary>
/// The person adds a passkey to its own account, after a recent re-authentication (a new way to sign in is what an
/// attacker with a stolen session would add first). Audited and emailed, as every change to how one signs in.
/// </summary>
public sealed class AddPasskey(AccountChange changes, StepUpPolicy stepUp)
{
    public async Task<CommandResult> HandleAsync(Caller caller, AddPasskeyCommand command, CancellationToken cancellationToken = default)
    {
        if (caller.IsSystem || caller.ViaApiCredential || string.IsNullOrEmpty(caller.Id))
        {
            return CommandResult.NotFound;
        }

        if (command.OwnerId != caller.Id)
        {
            return CommandResult.Refused("wrong_account", "This passkey was made for another account. Reload the page and try again.");
        }

        if (!stepUp.IsSatisfied(caller))
        {
            return CommandResult.Refused(StepUpPolicy.RequiredCode, StepUpPolicy.RequiredMessage);
        }

        if (PasskeyNames.Check(command.Name) is { } problem)
        {
            return CommandResult.Refused("invalid_name", problem);
        }

        var name = command.Name.Trim();
        return await changes.RunAsync(caller.Id, async (users, user) =>
        {
            var existing = await users.GetPasskeysAsync(user);
            if (existing.Any(p => p.CredentialId.AsSpan().SequenceEqual(command.Passkey.CredentialId)))
            {
                return AccountChange.Refused("already_added", "This passkey is already on your account.");
            }

            if (existing.Count >= PasskeySignIn.MaxPerUser)
            {
                return AccountChange.Refused("too_many_passkeys", $"You have {PasskeySignIn.MaxPerUser} passkeys, the most an account can have. Remove one you no longer use first.");
            }

            command.Passkey.Name = name;
            var added = await users.AddOrUpdatePasskeyAsync(user, command.Passkey);
            if (!added.Succeeded)
            {
                return AccountChange.Failed("passkey_not_added", added);
            }

            var id = PasskeyIds.Format(command.Passkey.CredentialId);
            return (CommandResult.Ok, new AccountChangeRecord(
                AuditRecord.SecurityEvent(AuditActor.From(caller), AuditActions.PasskeyAdded, $"Added the passkey \"{name}\"",
                    after: new { passkey = PasskeyIds.Short(id), name, synced = command.Passkey.IsBackedUp, passkeys = existing.Count + 1 }),
                EmailTemplates.PasskeyAdded(name)));
        }, cancellationToken);
    }
}

/// <summary>The rule for a passkey's name, shared by adding and renaming.</summary>
public static class PasskeyNames
{
    public const int MaxLength = 50;

    /// <summary>What is wrong with <paramref name="name"/>, or null when it will do.</summary>
    public static string? Check(string? name) => name?.Trim() switch
    {
        null or "" => "Give the passkey a name, such as the device it is on.",
        { Length: > MaxLength } => $"Keep the name to {MaxLength} characters.",
        _ => null,
    };
}
