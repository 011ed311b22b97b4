using System.Security.Claims;
using Cashout.Portal.Identity;

namespace Cashout.Portal.ComponentTests.Infrastructure;

/// <summary>Principals shaped like the ones the Identity cookie produces: the email as name, the portal role as role claim.</summary>
public static class TestUsers
{
    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());

    public static ClaimsPrincipal Merchant(string email) => SignedIn(email, PortalRoles.Merchant);

    public static ClaimsPrincipal Admin(string email) => SignedIn(email, PortalRoles.Admin);

    public static ClaimsPrincipal SignedIn(string email, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Email, email), new Claim(ClaimTypes.Role, role)],
        authenticationType: "Test"));
}
