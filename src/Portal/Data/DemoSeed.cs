using Cashout.Portal.Identity;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Data;

/// <summary>
/// The Development demo data that README, QA flows and examples rely on. Idempotent: every step checks what
/// is already there, so it runs at every start.
/// </summary>
public sealed class DemoSeed(UserManager<PortalUser> users, RoleManager<IdentityRole> roles, TimeProvider time, ILogger<DemoSeed> logger)
{
    public const string Password = "Demo!Cashout2026";
    public const string AdminEmail = "admin@cashout.test";
    public const string MerchantEmail = "merchant@cashout.test";
    public const string NewcomerEmail = "newcomer@cashout.test";

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }

        await EnsureUserAsync(AdminEmail, PortalRoles.Admin);
        await EnsureUserAsync(MerchantEmail, PortalRoles.Merchant);
        await EnsureUserAsync(NewcomerEmail, PortalRoles.Merchant);
    }

    private async Task<PortalUser> EnsureUserAsync(string email, string role)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow() };
            Check(await users.CreateAsync(user, Password));
            logger.LogInformation("Seeded demo user {Email}", email);
        }

        if (!await users.IsInRoleAsync(user, role))
        {
            Check(await users.AddToRoleAsync(user, role));
        }

        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
