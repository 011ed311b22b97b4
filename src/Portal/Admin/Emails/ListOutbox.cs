using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Admin.Emails;

/// <summary>One outbox message as /admin/emails lists it (no body).</summary>
public sealed record OutboxRow(
    long Id,
    string To,
    string Subject,
    string Kind,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset NextAttemptAt,
    string? LastError);

/// <summary>The email outbox, newest first, optionally one status only (Admin only).</summary>
public sealed class ListOutbox(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxRows = 1000;

    public async Task<IReadOnlyList<OutboxRow>?> HandleAsync(Caller caller, OutboxStatus? status = null, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var messages = db.OutboxMessages.AsNoTracking();
        if (status is not null)
        {
            messages = messages.Where(m => m.Status == status);
        }

        return await messages
            .OrderByDescending(m => m.Id)
            .Take(MaxRows)
            .Select(m => new OutboxRow(m.Id, m.To, m.Subject, m.Kind, m.Status, m.Attempts, m.CreatedAt, m.SentAt, m.NextAttemptAt, m.LastError))
            .ToListAsync(cancellationToken);
    }
}
