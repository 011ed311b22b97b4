using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Admin.Users;

/// <param name="Grant">True adds the role, false removes it.</param>
/// <param name="Reason">Why, for the audit log and the email to the person.</param>
public sealed record ChangeUserRoleCommand(string UserId, string Role, bool Grant, string Reason);

/// <summary>
/// An admin grants or removes a role. The user's security stamp is renewed in the same transaction and every
/// session of that user is ended right after, so each open session (cookie and circuit) is signed out at once and
/// signs in again with the new roles; the audit log keeps the roles before and after, and the reason, and the person
/// is emailed. The Admin role is never removed from the last admin who can sign in: the back office would have nobody
/// left.
/// </summary>
public sealed class ChangeUserRole(IServiceScopeFactory scopes, AuditLog audit, Identity.Sessions.UserSessions sessions, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(Caller caller, ChangeUserRoleCommand command, CancellationToken cancellationToken = default)
    {
        if (AdminReason.CheckAction(caller, command.UserId, command.Reason) is { } refused)
        {
            return refused;
        }

        if (!PortalRoles.All.Contains(command.Role))
        {
            return CommandResult.Refused("unknown_role", $"There is no role '{command.Role}'.");
        }

        // A scope of its own: UserManager works on a scoped context, which must not live as long as a circuit.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var user = await users.FindByIdAsync(command.UserId);
        if (user is null)
        {
            return CommandResult.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var before = await users.GetRolesAsync(user);
        if (before.Contains(command.Role) == command.Grant)
        {
            return CommandResult.Refused("role_unchanged", command.Grant ? $"{user.Email} already has the {command.Role} role." : $"{user.Email} does not have the {command.Role} role.");
        }

        if (!command.Grant && command.Role == PortalRoles.Admin && !await AnotherActiveAdminAsync(users, user.Id))
        {
            return CommandResult.Refused("last_admin", user.Id == caller.Id
                ? "You are the last admin: make someone else an admin before you remove your own Admin role."
                : $"{user.Email} is the last admin who can sign in: make someone else an admin first.");
        }

        var changed = command.Grant ? await users.AddToRoleAsync(user, command.Role) : await users.RemoveFromRoleAsync(user, command.Role);
        if (changed.Succeeded)
        {
            changed = await users.UpdateSecurityStampAsync(user);
        }

        if (!changed.Succeeded)
        {
            return CommandResult.Refused("role_change_failed", string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        var after = await users.GetRolesAsync(user);
        await audit.AppendAsync(db, new AuditRecord(
            AuditCategory.SecurityEvent,
            AuditActions.RoleChanged,
            AuditActor.From(caller),
            $"{(command.Grant ? "Granted" : "Removed")} the {command.Role} role {(command.Grant ? "to" : "from")} {user.Email}",
            "user",
            user.Id,
            new { roles = before.Order(StringComparer.Ordinal) },
            new { roles = after.Order(StringComparer.Ordinal), reason = command.Reason.Trim() }), cancellationToken);
        if (!string.IsNullOrEmpty(user.Email))
        {
            scope.ServiceProvider.GetRequiredService<EmailOutbox>().Enqueue(db, user.Email, EmailTemplates.RoleChanged(command.Role, command.Grant, command.Reason.Trim()));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Signed out everywhere at once (not at the next stamp check): the person signs in again with the new roles.
        await sessions.EndAllButAsync(user.Id, keepSessionId: null, "role_changed", cancellationToken);
        return CommandResult.Ok;
    }

    /// <summary>Whether an admin other than <paramref name="userId"/> is not locked out (read in the change's transaction).</summary>
    private async Task<bool> AnotherActiveAdminAsync(UserManager<PortalUser> users, string userId)
    {
        var now = time.GetUtcNow();
        return (await users.GetUsersInRoleAsync(PortalRoles.Admin)).Any(admin => admin.Id != userId && !(admin.LockoutEnd > now));
    }
}
