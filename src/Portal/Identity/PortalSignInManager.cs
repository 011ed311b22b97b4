using Cashout.Portal.Audit;
using System.Security.Claims;
using Cashout.Portal.Common;
using Cashout.Portal.Identity.Passkeys;
using Cashout.Portal.Identity.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Identity;

/// <summary>
/// Identity's sign-in manager with every sign-in outcome written to the audit log (succeeded, failed and why,
/// locked out), whichever page or endpoint signs the user in; and every sign-in tied to a <see cref="UserSession"/>
/// that a sign-out ends (a copy of the cookie is refused after it). A wrong password says how many attempts are left
/// and a lockout when it ends (<see cref="PortalSignInResult"/>), the same for an email with no account
/// (<see cref="UnknownEmailLockout"/>).
/// </summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    AuditLog audit,
    UserSessions sessions,
    UnknownEmailLockout unknownEmails,
    TimeProvider time)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>
    /// Every cookie names its session: a new one at sign-in; the same one when the cookie is issued again for a
    /// signed-in user (a refresh after a profile change, a step-up). A new session starts with a fresh step-up: the
    /// person has just typed the password (and the code), so the first sensitive action within the step-up window
    /// does not ask for it again, as GitHub's sudo mode does; a refresh keeps the time of the last authentication.
    /// </summary>
    public override async Task SignInWithClaimsAsync(PortalUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.Where(c => c.Type != SessionClaims.SessionId).ToList();
        // The request's own user, as authenticated when it arrived (asking the cookie handler again here would
        // re-run its validation, which signs out through this manager when the stamp just changed).
        var sessionId = UserManager.GetUserId(Context.User) == user.Id ? SessionClaims.Of(Context.User) : null;
        if (sessionId is null || !await sessions.CheckAsync(user.Id, sessionId, ClientAddress.Of(Context)))
        {
            sessionId = (await sessions.StartAsync(user.Id, ClientAddress.Of(Context), Context.Request.Headers.UserAgent.ToString())).Id;
            if (!claims.Any(c => c.Type == StepUpPolicy.ClaimType))
            {
                claims.Add(StepUpPolicy.ClaimFor(time.GetUtcNow()));
            }
        }

        claims.Add(SessionClaims.For(sessionId));
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    /// <summary>Signing out ends the session in the database too, so the cookie is worthless even if copied.</summary>
    public override async Task SignOutAsync()
    {
        // Context.User, not a new authentication: Identity's stamp validator calls this while it authenticates.
        if (UserManager.GetUserId(Context.User) is { } userId && SessionClaims.Of(Context.User) is { } sessionId)
        {
            await sessions.EndOneAsync(userId, sessionId, "signed_out");
        }

        await base.SignOutAsync();
    }

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            // Hash the password as a real check would, so that the answer does not come back sooner either.
            UserManager.PasswordHasher.VerifyHashedPassword(UnknownUser, UnknownUserHash, password);
            return await unknownEmails.FailAsync(userName, UserManager.NormalizeName(userName), ClientAddress.Of(Context));
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> PasswordSignInAsync(PortalUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        // RequiresTwoFactor: the password was right; the outcome is recorded at the second step.
        if (!result.RequiresTwoFactor)
        {
            await RecordAsync(user, result, "password", "wrong_password");
        }

        return Explained(user, result);
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (user is not null)
        {
            await RecordAsync(user, result, "authenticator", "wrong_authenticator_code");
        }

        return user is null ? result : Explained(user, result);
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        if (user is not null)
        {
            await RecordAsync(user, result, "recovery_code", "wrong_recovery_code");
        }

        return user is null ? result : Explained(user, result);
    }

    /// <summary>
    /// Identity's passkey sign-in, with what Identity leaves out: the cookie says a passkey was used (amr=pop and
    /// mfa, which the Admin policy accepts as the second factor) and holds a fresh step-up whatever session the
    /// browser had; the outcome is audited like every other sign-in. A passkey skips the authenticator code: it
    /// is two factors by itself (user verification is required, ADR 030).
    /// </summary>
    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        PasskeyAssertionResult<PortalUser> assertion;
        try
        {
            assertion = await PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            // No ceremony under way (its cookie expired or was never set): nothing to verify the answer against.
            assertion = PasskeyAssertionResult.Fail<PortalUser>(new PasskeyException("No passkey sign-in is under way."));
        }

        if (!assertion.Succeeded)
        {
            await audit.RecordAsync(AuditRecord.SecurityEvent(
                AuditActor.Anonymous(null, ClientAddress.Of(Context)), AuditActions.SignInFailed, "Sign-in failed: passkey not accepted",
                after: new { method = "passkey", reason = "passkey_not_accepted" }));
            return SignInResult.Failed;
        }

        var user = assertion.User;
        var result = await PreSignInCheck(user);
        if (result is null)
        {
            // The stored passkey gets the new signature counter and flags the authenticator reported.
            result = (await UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded ? SignInResult.Success : SignInResult.Failed;
        }

        if (result.Succeeded)
        {
            await ResetLockout(user);
            await SignInWithClaimsAsync(user, isPersistent: false, [.. PasskeySignIn.Claims, StepUpPolicy.ClaimFor(time.GetUtcNow())]);
        }

        await RecordAsync(user, result, "passkey", "passkey_not_accepted");
        return result;
    }

    private static readonly PortalUser UnknownUser = new();

    private static string? unknownUserHash;

    private string UnknownUserHash => unknownUserHash ??= UserManager.PasswordHasher.HashPassword(UnknownUser, Guid.NewGuid().ToString());

    /// <summary>
    /// A wrong password or code with the attempts left before the lockout, and a lockout with its end. An admin's
    /// lock has no end to tell (it lasts until an admin lifts it), so the lockout page names none.
    /// </summary>
    private SignInResult Explained(PortalUser user, SignInResult result) => result switch
    {
        { IsLockedOut: true } when user.LockoutEnd is { } end && end <= time.GetUtcNow() + Options.Lockout.DefaultLockoutTimeSpan => PortalSignInResult.LockedOutUntil(end),
        { Succeeded: false, RequiresTwoFactor: false, IsLockedOut: false, IsNotAllowed: false } => PortalSignInResult.WrongAnswer(Options.Lockout.MaxFailedAccessAttempts - user.AccessFailedCount),
        _ => result,
    };

    private async Task RecordAsync(PortalUser user, SignInResult result, string method, string failure)
    {
        var actor = AuditActor.User(user.Id, await UserManager.IsInRoleAsync(user, PortalRoles.Admin), ClientAddress.Of(Context));
        var record = result switch
        {
            { Succeeded: true } => AuditRecord.SecurityEvent(actor, AuditActions.SignInSucceeded, $"Signed in ({method.Replace('_', ' ')})", after: new { method }),
            { IsLockedOut: true } => AuditRecord.SecurityEvent(actor, AuditActions.LockedOut, "Sign-in refused: the account is locked out after repeated failures", after: new { method, lockoutEnd = user.LockoutEnd }),
            { IsNotAllowed: true } => AuditRecord.SecurityEvent(actor, AuditActions.SignInFailed, "Sign-in refused: the email is not confirmed", after: new { method, reason = "email_not_confirmed" }),
            _ => AuditRecord.SecurityEvent(actor, AuditActions.SignInFailed, $"Sign-in failed: {failure.Replace('_', ' ')}", after: new { method, reason = failure, failedAttempts = user.AccessFailedCount }),
        };
        await audit.RecordAsync(record);
    }
}
