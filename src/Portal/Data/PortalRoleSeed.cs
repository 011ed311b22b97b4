using Cashout.Portal.Identity;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Data;

/// <summary>The roles every environment needs (registration adds the Merchant role); idempotent, run at every start.</summary>
public sealed class PortalRoleSeed(RoleManager<IdentityRole> roles)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in PortalRoles.All)
        {
            if (await roles.RoleExistsAsync(role))
            {
                continue;
            }

            var created = await roles.CreateAsync(new IdentityRole(role));
            if (!created.Succeeded && !await roles.RoleExistsAsync(role))
            {
                throw new InvalidOperationException($"Could not create the role {role}: " + string.Join("; ", created.Errors.Select(e => e.Description)));
            }
        }
    }
}
