using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Merchants;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>What a sign-up did: the new account, the form's errors, or an email to the owner of an existing account.</summary>
public sealed record Registration(PortalUser? User, IdentityResult Result, bool AlreadyRegistered)
{
    public bool Succeeded => Result.Succeeded;
}

/// <summary>
/// Creates the account of someone who signs up: always a merchant (admins are made by the operator command), with
/// a merchant profile that starts unverified, and its audit entry (from the visitor's address). All or nothing: one
/// database transaction.
/// The form never tells whether an address has an account: the password is checked first, and for an address that
/// has one the owner is emailed instead and the visitor sees the same "check your email" as after a sign-up.
/// The caller sends the confirmation email of a new account; sign-in waits for it (IdentityExtensions).
/// </summary>
public sealed class RegisterMerchant(
    UserManager<PortalUser> users, PortalDbContext db, EmailOutbox outbox, AuditLog audit, ClientAddress clientAddress, TimeProvider time)
{
    public async Task<Registration> HandleAsync(string email, string password, string signInLink, string resetLink)
    {
        email = email.Trim();
        var user = new PortalUser { UserName = email, Email = email, CreatedAt = time.GetUtcNow() };

        var passwordErrors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var checkedPassword = await validator.ValidateAsync(users, user, password);
            passwordErrors.AddRange(checkedPassword.Errors);
        }

        if (passwordErrors.Count > 0)
        {
            return new Registration(null, IdentityResult.Failed([.. passwordErrors]), AlreadyRegistered: false);
        }

        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return await TellOwnerAsync(existing.Email ?? email, signInLink, resetLink);
        }

        // Identity's stores share this scope's context, so the user, its role and its profile commit together or
        // not at all, whatever step fails or throws.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, PortalRoles.Merchant);
        }

        if (!result.Succeeded)
        {
            await transaction.RollbackAsync();
            db.ChangeTracker.Clear();
            // Another sign-up with the same address won the race since the look-up: the same answer as above.
            return result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName))
                ? await TellOwnerAsync(email, signInLink, resetLink)
                : new Registration(null, result, AlreadyRegistered: false);
        }

        var profile = new MerchantProfile(user.Id, time.GetUtcNow());
        db.MerchantProfiles.Add(profile);
        await audit.AppendAsync(db, AuditRecord.SecurityEvent(
            AuditActor.User(user.Id, isAdmin: false, clientAddress.Value),
            AuditActions.MerchantRegistered,
            $"Registered the merchant account {email}",
            after: new { email, role = PortalRoles.Merchant, emailConfirmed = user.EmailConfirmed, verification = profile.Status }), CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new Registration(user, result, AlreadyRegistered: false);
    }

    private async Task<Registration> TellOwnerAsync(string to, string signInLink, string resetLink)
    {
        outbox.Enqueue(db, to, EmailTemplates.AlreadyRegistered(signInLink, resetLink));
        await db.SaveChangesAsync();
        return new Registration(null, IdentityResult.Success, AlreadyRegistered: true);
    }
}
