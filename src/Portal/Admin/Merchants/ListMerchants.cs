using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Admin.Merchants;

public sealed record MerchantRow(string UserId, string Email, bool EmailConfirmed, bool TwoFactorEnabled, DateTimeOffset CreatedAt);

/// <summary>The back office's list of merchant accounts.</summary>
public sealed class ListMerchants(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<MerchantRow>> HandleAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var merchantRoleId = await db.Roles.Where(r => r.Name == PortalRoles.Merchant).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
        var rows = await db.Users
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == merchantRoleId))
            .Select(u => new MerchantRow(u.Id, u.Email ?? u.UserName ?? "", u.EmailConfirmed, u.TwoFactorEnabled, u.CreatedAt))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Email, StringComparer.OrdinalIgnoreCase)];
    }
}
