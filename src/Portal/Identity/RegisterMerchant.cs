using Cashout.Portal.Data;
using Cashout.Portal.Merchants;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>
/// Creates the account of someone who signs up: always a merchant (admins are made by admins), with a
/// merchant profile that starts unverified. All or nothing: a failed step removes the user again.
/// The caller sends the confirmation email; sign-in waits for it (IdentityExtensions).
/// </summary>
public sealed class RegisterMerchant(UserManager<PortalUser> users, PortalDbContext db, TimeProvider time)
{
    public async Task<(PortalUser User, IdentityResult Result)> HandleAsync(string email, string password)
    {
        email = email.Trim();
        var user = new PortalUser { UserName = email, Email = email, CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return (user, result);
        }

        result = await users.AddToRoleAsync(user, PortalRoles.Merchant);
        if (result.Succeeded)
        {
            db.MerchantProfiles.Add(new MerchantProfile(user.Id, time.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        else
        {
            await users.DeleteAsync(user);
        }

        return (user, result);
    }
}
