using Cashout.Portal.Common;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>The person's sign-in methods as /settings/security summarises them.</summary>
public sealed record SecurityOverview(string Email, bool HasPassword, bool TwoFactorEnabled, int RecoveryCodesLeft, bool IsAdmin);

/// <summary>Reads the caller's own account: password, authenticator app and recovery codes.</summary>
public sealed class GetSecurityOverview(IServiceScopeFactory scopes)
{
    public async Task<SecurityOverview?> HandleAsync(Caller caller)
    {
        if (caller.IsSystem || string.IsNullOrEmpty(caller.Id))
        {
            return null;
        }

        // A scope of its own: UserManager works on a scoped context, which must not live as long as a circuit.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByIdAsync(caller.Id) is not { } user)
        {
            return null;
        }

        var twoFactor = await users.GetTwoFactorEnabledAsync(user);
        return new SecurityOverview(
            user.Email ?? "",
            await users.HasPasswordAsync(user),
            twoFactor,
            twoFactor ? await users.CountRecoveryCodesAsync(user) : 0,
            await users.IsInRoleAsync(user, PortalRoles.Admin));
    }
}
