using Cashout.Portal.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity.Sessions;

/// <summary>
/// On every request with the authentication cookie: the session it names must exist, belong to its user and not
/// have ended, or the request goes on anonymous and the cookie is removed. A cookie without a session (issued
/// before sessions were recorded) counts as ended: its owner signs in once more.
/// </summary>
internal static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        var userId = services.GetRequiredService<UserManager<PortalUser>>().GetUserId(context.Principal);
        var sessions = services.GetRequiredService<UserSessions>();
        if (userId is not null && await sessions.CheckAsync(userId, SessionClaims.Of(context.Principal), ClientAddress.Of(context.HttpContext), context.HttpContext.RequestAborted))
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
