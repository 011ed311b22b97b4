using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>The signed-in user of a static-SSR Identity page, or a redirect with an error when there is none.</summary>
internal sealed class IdentityUserAccessor(UserManager<PortalUser> userManager, IdentityRedirectManager redirectManager)
{
    public async Task<PortalUser> GetRequiredUserAsync(HttpContext context)
    {
        var user = await userManager.GetUserAsync(context.User);

        if (user is null)
        {
            redirectManager.RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
        }

        return user;
    }
}
