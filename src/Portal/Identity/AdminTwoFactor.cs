using System.Security.Claims;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Identity;

/// <summary>Admins must use two-factor authentication (DESIGN.md section 4): part of the Admin policy.</summary>
public sealed class TwoFactorEnabledRequirement : IAuthorizationRequirement
{
    public const string SetupPage = "/Account/Manage/EnableAuthenticator";

    public static string SetupPageFor(string returnUrl) => $"{SetupPage}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}

/// <summary>
/// Reads from the database, per check, whether the user has two-factor turned on, so turning it off takes
/// effect on the next page an admin opens, not at the next sign-in. A session signed in with a passkey counts as
/// two-factor while the person still has a passkey (ADR 030): removing the last one, or an admin's two-factor
/// reset, takes effect the same way.
/// </summary>
public sealed class TwoFactorEnabledHandler(IDbContextFactory<PortalDbContext> dbFactory) : AuthorizationHandler<TwoFactorEnabledRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorEnabledRequirement requirement)
    {
        if (await IsEnabledAsync(context.User))
        {
            context.Succeed(requirement);
        }
    }

    public async Task<bool> IsEnabledAsync(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return false;
        }

        var signedInWithPasskey = Passkeys.PasskeySignIn.WasUsedBy(user);
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Users.AnyAsync(u => u.Id == userId
            && (u.TwoFactorEnabled || (signedInWithPasskey && db.UserPasskeys.Any(p => p.UserId == userId))));
    }
}

/// <summary>
/// Endpoint metadata for an endpoint that is not a portal page (Hangfire's dashboard, whose own scripts call it
/// too): a signed-in user it refuses gets a plain 403 rather than the access-denied page, and its error statuses are
/// not re-executed into the not-found page (a re-executed POST would meet that page's antiforgery check: 400).
/// </summary>
public sealed class PlainStatusCodes : ISkipStatusCodePagesMetadata;

/// <summary>
/// An admin refused only because two-factor is off is sent to set it up (the page explains why) instead of the
/// access-denied page; on an endpoint marked <see cref="PlainStatusCodes"/> any other refusal of a signed-in
/// user is a 403; every other refusal is handled as usual.
/// </summary>
public sealed class AdminTwoFactorRedirect : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { FailedRequirements: var failed } && failed.Any() && failed.All(r => r is TwoFactorEnabledRequirement))
        {
            context.Response.Redirect(TwoFactorEnabledRequirement.SetupPageFor(context.Request.PathBase + context.Request.Path + context.Request.QueryString));
            return Task.CompletedTask;
        }

        if (authorizeResult.Forbidden && context.GetEndpoint()?.Metadata.GetMetadata<PlainStatusCodes>() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return standard.HandleAsync(next, context, policy, authorizeResult);
    }
}
