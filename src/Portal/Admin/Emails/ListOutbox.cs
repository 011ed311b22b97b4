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

/// <summary>The email outbox, newest first, optionally one status only, a page at a time (Admin only).</summary>
public sealed class ListOutbox(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Page<OutboxRow>> HandleAsync(Caller caller, OutboxStatus? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Page<OutboxRow>.Empty;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var messages = db.OutboxMessages.AsNoTracking();
        if (status is not null)
        {
            messages = messages.Where(m => m.Status == status);
        }

        var rows = await messages
            .OrderByDescending(m => m.Id)
            .Skip(page.SafeSkip)
            .Take(page.SafeTake)
            .Select(m => new OutboxRow(m.Id, m.To, m.Subject, m.Kind, m.Status, m.Attempts, m.CreatedAt, m.SentAt, m.NextAttemptAt, m.LastError))
            .ToListAsync(cancellationToken);
        return new Page<OutboxRow>(rows, await messages.CountAsync(cancellationToken));
    }
}
