using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Identity;

/// <summary>
/// Identity's user manager with the security events of DESIGN.md section 3 attached: a password change (or
/// reset) and a two-factor change are written to the audit log and emailed to the user through the outbox, in
/// the same database transaction as the change itself, whichever page makes it. Identity already renews the
/// security stamp for these changes; a new password also ends every other session in the database (a reset by
/// emailed link ends them all), so they are gone from /settings/security and their cookies refused. The lockout
/// after repeated failures runs on the app's clock and is emailed to the owner.
/// </summary>
public sealed class PortalUserManager(
    IUserStore<PortalUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<PortalUser> passwordHasher,
    IEnumerable<IUserValidator<PortalUser>> userValidators,
    IEnumerable<IPasswordValidator<PortalUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<PortalUser>> logger,
    PortalDbContext db,
    AuditLog audit,
    EmailOutbox outbox,
    IHttpContextAccessor httpContext,
    UserSessions sessions,
    PortalAddress portal,
    TimeProvider time)
    : UserManager<PortalUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> ChangePasswordAsync(PortalUser user, string currentPassword, string newPassword)
    {
        var result = await WithSecurityEventAsync(user, () => base.ChangePasswordAsync(user, currentPassword, newPassword), _ =>
            (AuditActions.PasswordChanged, "Changed the password", null, new { via = "change" }, EmailTemplates.PasswordChanged()));
        if (result.Succeeded)
        {
            await sessions.EndAllButAsync(user.Id, SessionClaims.Of(httpContext.HttpContext?.User), "password_changed", CancellationToken);
        }

        return result;
    }

    public override async Task<IdentityResult> ResetPasswordAsync(PortalUser user, string token, string newPassword)
    {
        var result = await WithSecurityEventAsync(user, () => base.ResetPasswordAsync(user, token, newPassword), _ =>
            (AuditActions.PasswordChanged, "Reset the password with an emailed link", null, new { via = "reset_link" }, EmailTemplates.PasswordChanged()));
        if (result.Succeeded)
        {
            await sessions.EndAllButAsync(user.Id, keepSessionId: null, "password_changed", CancellationToken);
        }

        return result;
    }

    public override async Task<IdentityResult> SetTwoFactorEnabledAsync(PortalUser user, bool enabled)
    {
        var before = await GetTwoFactorEnabledAsync(user);
        return await WithSecurityEventAsync(user, () => base.SetTwoFactorEnabledAsync(user, enabled), _ => before == enabled
            ? null
            : (enabled ? AuditActions.TwoFactorEnabled : AuditActions.TwoFactorDisabled,
               enabled ? "Turned on two-factor authentication" : "Turned off two-factor authentication",
               new { twoFactorEnabled = before }, new { twoFactorEnabled = enabled }, EmailTemplates.TwoFactorChanged(enabled)));
    }

    /// <summary>
    /// Identity's count of failures and its lockout, on the app's clock (Identity's own reads DateTimeOffset.UtcNow).
    /// The failure that locks the account emails its owner in the same transaction: once per lockout, whichever
    /// sign-in step or step-up it was (the sign-in manager or the step-up page audits it).
    /// </summary>
    public override async Task<IdentityResult> AccessFailedAsync(PortalUser user)
    {
        var lockouts = (IUserLockoutStore<PortalUser>)Store;
        if (await lockouts.IncrementAccessFailedCountAsync(user, CancellationToken) < Options.Lockout.MaxFailedAccessAttempts
            || !await GetLockoutEnabledAsync(user))
        {
            return await UpdateUserAsync(user);
        }

        var now = time.GetUtcNow();
        await lockouts.SetLockoutEndDateAsync(user, now + Options.Lockout.DefaultLockoutTimeSpan, CancellationToken);
        await lockouts.ResetAccessFailedCountAsync(user, CancellationToken);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(CancellationToken) : null;
        var result = await UpdateUserAsync(user);
        if (result.Succeeded && !string.IsNullOrEmpty(user.Email))
        {
            var resetLink = new Uri(await portal.ForLinksAsync(CancellationToken), "Account/ForgotPassword").ToString();
            var address = httpContext.HttpContext is { } context ? ClientAddress.Of(context) : null;
            outbox.Enqueue(db, user.Email, EmailTemplates.SignInLockedOut(now, now + Options.Lockout.DefaultLockoutTimeSpan, address, resetLink));
            await db.SaveChangesAsync(CancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(CancellationToken);
        }

        return result;
    }

    public override async Task<bool> IsLockedOutAsync(PortalUser user) =>
        await GetLockoutEnabledAsync(user) && await GetLockoutEndDateAsync(user) is { } end && end >= time.GetUtcNow();

    private async Task<IdentityResult> WithSecurityEventAsync(
        PortalUser user,
        Func<Task<IdentityResult>> change,
        Func<IdentityResult, (string Action, string Summary, object? Before, object? After, EmailContent Email)?> describe)
    {
        // Join a transaction the caller already has; otherwise the change and its record get one of their own.
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(CancellationToken) : null;
        try
        {
            var result = await change();
            if (result.Succeeded && describe(result) is { } happened)
            {
                var isAdmin = await IsInRoleAsync(user, PortalRoles.Admin);
                var address = httpContext.HttpContext is { } context ? ClientAddress.Of(context) : null;
                await audit.AppendAsync(db, AuditRecord.SecurityEvent(AuditActor.User(user.Id, isAdmin, address), happened.Action, happened.Summary, happened.Before, happened.After), CancellationToken);
                if (!string.IsNullOrEmpty(user.Email))
                {
                    outbox.Enqueue(db, user.Email, happened.Email);
                }

                await db.SaveChangesAsync(CancellationToken);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(CancellationToken);
            }

            return result;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }
}
