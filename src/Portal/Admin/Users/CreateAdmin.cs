using System.ComponentModel.DataAnnotations;
using Cashout.Portal.Audit;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Admin.Users;

/// <param name="SetupPath">The one-time link's path and query, relative to the portal's public root.</param>
public sealed record CreatedAdmin(string UserId, string SetupPath);

/// <summary>
/// The operator's way to make an admin (the first one above all: registration only makes merchants). The account
/// has a confirmed email and no password; the returned one-time link sets the password (a password-reset token,
/// spent when used because the security stamp changes). The Admin policy then requires two-factor before any admin
/// page opens, so the new admin enrols an authenticator at first sign-in.
/// </summary>
public sealed class CreateAdmin(UserManager<PortalUser> users, PortalDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<(CreatedAdmin? Admin, string? Error)> HandleAsync(string email, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!new EmailAddressAttribute().IsValid(email) || email.Length > 256)
        {
            return (null, $"'{email}' is not a valid email address.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return (null, $"An account with the email {email} exists already; an admin changes its role in the portal.");
        }

        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow() };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await users.CreateAsync(user);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, PortalRoles.Admin);
        }

        if (!result.Succeeded)
        {
            return (null, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await audit.AppendAsync(db, new AuditRecord(
            AuditCategory.SecurityEvent,
            AuditActions.AdminCreated,
            new AuditActor(AuditActorKind.System, "operator", null, "operator command"),
            $"Created the admin {email} from the command line",
            "user",
            user.Id,
            null,
            new { roles = new[] { PortalRoles.Admin } }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var token = AccountEmails.EncodeToken(await users.GeneratePasswordResetTokenAsync(user));
        return (new CreatedAdmin(user.Id, $"Account/ResetPassword?code={token}"), null);
    }
}
