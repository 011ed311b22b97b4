using System.Security.Claims;

namespace Cashout.Portal.Identity.Sessions;

public static class SessionClaims
{
    /// <summary>The claim in the authentication cookie that names its <see cref="UserSession"/>.</summary>
    public const string SessionId = "cashout:sid";

    public static string? Of(ClaimsPrincipal? principal) => principal?.FindFirstValue(SessionId);

    public static Claim For(string sessionId) => new(SessionId, sessionId);
}
