using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>What a change to an account writes beside itself: its audit entry and, when the person is told, an email.</summary>
public sealed record AccountChangeRecord(AuditRecord Audit, EmailContent? Email);

/// <summary>
/// Runs a change to one person's account (passkeys, lockout, two-factor) on the user manager of a scope of its own
/// (a circuit must not hold one), so the change, its audit entry and the email that tells the person commit
/// together or not at all. A change that refuses returns before it writes; anything it wrote is rolled back.
/// </summary>
public sealed class AccountChange(IServiceScopeFactory scopes, AuditLog audit)
{
    public delegate Task<(CommandResult Result, AccountChangeRecord? Record)> Change(UserManager<PortalUser> users, PortalUser user);

    public async Task<CommandResult> RunAsync(string userId, Change change, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return CommandResult.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (result, record) = await change(users, user);
        if (!result.Succeeded || record is null)
        {
            return result;
        }

        await audit.AppendAsync(db, record.Audit, cancellationToken);
        if (record.Email is { } email && !string.IsNullOrEmpty(user.Email))
        {
            scope.ServiceProvider.GetRequiredService<EmailOutbox>().Enqueue(db, user.Email, email);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Identity's refusal as the portal's: its messages, nothing written.</summary>
    public static (CommandResult, AccountChangeRecord?) Failed(string code, IdentityResult result) =>
        (CommandResult.Refused(code, string.Join(" ", result.Errors.Select(e => e.Description))), null);

    public static (CommandResult, AccountChangeRecord?) Refused(string code, string message) => (CommandResult.Refused(code, message), null);
}
