using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Admin.Users;

/// <summary>One person as /admin/users shows it: roles, whether locked, and the second factors it has.</summary>
public sealed record UserRow(
    string Id,
    string Email,
    IReadOnlyList<string> Roles,
    bool EmailConfirmed,
    bool IsLocked,
    bool TwoFactorEnabled,
    int Passkeys)
{
    public bool HasRole(string role) => Roles.Contains(role);
}

/// <summary>The back office's people, found by email (any part of it), a page at a time, by email.</summary>
public sealed class ListUsers(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task<Page<UserRow>> HandleAsync(Caller caller, string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Page<UserRow>.Empty;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // LIKE is case-insensitive for ASCII in SQLite; the search's own wildcards are escaped.
            var pattern = "%" + search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            users = users.Where(u => EF.Functions.Like(u.Email!, pattern, "\\"));
        }

        var now = time.GetUtcNow();
        var total = await users.CountAsync(cancellationToken);
        var rows = await users
            .OrderBy(u => u.Email)
            .Skip(page.SafeSkip)
            .Take(page.SafeTake)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.EmailConfirmed,
                u.LockoutEnd,
                u.TwoFactorEnabled,
                Passkeys = db.UserPasskeys.Count(p => p.UserId == u.Id),
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, role => role.Id, (_, role) => role.Name!).ToList(),
            })
            .ToListAsync(cancellationToken);
        return new Page<UserRow>(
            [.. rows.Select(u => new UserRow(u.Id, u.Email ?? "", [.. u.Roles.Order(StringComparer.Ordinal)], u.EmailConfirmed, u.LockoutEnd > now, u.TwoFactorEnabled, u.Passkeys))],
            total);
    }
}
