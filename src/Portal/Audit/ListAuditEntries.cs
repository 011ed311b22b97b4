using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Audit;

/// <param name="Actor">Part of the actor's email.</param>
/// <param name="Subject">A subject id (a cashout number or a user id), exactly.</param>
/// <param name="UpToId">Only this entry and older ones: the page then starts at this entry (e.g. where the chain breaks).</param>
public sealed record AuditFilter(
    AuditCategory? Category = null,
    string? Action = null,
    string? Actor = null,
    string? Subject = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? UpToId = null);

/// <summary>The audit log for admins, newest first, filtered and paged on the server.</summary>
public sealed class ListAuditEntries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Page<AuditEntry>> HandleAsync(Caller caller, AuditFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Page<AuditEntry>.Empty;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (filter.Category is { } category)
        {
            query = query.Where(e => e.Category == category);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(e => e.Action == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim().ToLower();
            query = query.Where(e => e.ActorName != null && e.ActorName.ToLower().Contains(actor));
        }

        if (!string.IsNullOrWhiteSpace(filter.Subject))
        {
            var subject = filter.Subject.Trim().TrimStart('#');
            query = query.Where(e => e.SubjectId == subject);
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        if (filter.UpToId is { } upToId)
        {
            query = query.Where(e => e.Id <= upToId);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.Id).Skip(page.SafeSkip).Take(page.SafeTake).ToListAsync(cancellationToken);
        return new Page<AuditEntry>(items, total);
    }
}
