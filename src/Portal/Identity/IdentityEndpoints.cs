using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Cashout.Portal.Identity;

/// <summary>The Identity endpoints that are not pages: log out (a POST with an antiforgery token).</summary>
internal static class IdentityEndpoints
{
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var accountGroup = endpoints.MapGroup("/Account");

        accountGroup.MapPost("/Logout", async (
            SignInManager<PortalUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect($"~/{returnUrl?.TrimStart('/') ?? "Account/Login"}");
        });

        return accountGroup;
    }
}
