using Cashout.Portal.Data;
using Cashout.Portal.Merchants;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>
/// Creates the account of someone who signs up: always a merchant (admins are made by admins), with a
/// merchant profile that starts unverified. All or nothing: one database transaction.
/// The caller sends the confirmation email; sign-in waits for it (IdentityExtensions).
/// </summary>
public sealed class RegisterMerchant(UserManager<PortalUser> users, PortalDbContext db, TimeProvider time)
{
    public async Task<(PortalUser User, IdentityResult Result)> HandleAsync(string email, string password)
    {
        email = email.Trim();
        var user = new PortalUser { UserName = email, Email = email, CreatedAt = time.GetUtcNow() };

        // Identity's stores share this scope's context, so the user, its role and its profile commit together or
        // not at all, whatever step fails or throws.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, PortalRoles.Merchant);
        }

        if (!result.Succeeded)
        {
            return (user, result);
        }

        db.MerchantProfiles.Add(new MerchantProfile(user.Id, time.GetUtcNow()));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (user, result);
    }
}
