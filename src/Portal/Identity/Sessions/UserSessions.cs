using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Identity.Sessions;

/// <summary>
/// The signed-in sessions in the database: started at sign-in, checked on each request, ended for a reason.
/// <see cref="Ended"/> tells the open circuits at once, on this node and, through the <see cref="ChangeFeed"/>, on
/// the others (a circuit of an ended session signs out without waiting for its next revalidation).
/// </summary>
public sealed class UserSessions
{
    private const string Kind = "sessions-ended";

    private readonly IDbContextFactory<PortalDbContext> dbFactory;
    private readonly TimeProvider time;
    private readonly ChangeFeed feed;

    public UserSessions(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, ChangeFeed feed)
    {
        (this.dbFactory, this.time, this.feed) = (dbFactory, time, feed);
        feed.Received += (kind, payload) =>
        {
            if (kind == Kind && System.Text.Json.JsonSerializer.Deserialize<EndedSessions>(payload) is { } ended)
            {
                Ended?.Invoke(ended.UserId, ended.SessionIds);
            }
        };
    }

    private sealed record EndedSessions(string UserId, string[] SessionIds);

    /// <summary>How stale <see cref="UserSession.LastSeenAt"/> may get before a request writes it again.</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Sessions of a user were ended: the user's id and the sessions' ids.</summary>
    public event Action<string, IReadOnlyCollection<string>>? Ended;

    public async Task<UserSession> StartAsync(string userId, string? ipAddress, string? userAgent, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = UserSession.Start(userId, ipAddress, userAgent, time.GetUtcNow());
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session;
    }

    /// <summary>True when the session exists, is the user's and has not ended; notes the request now and then.</summary>
    public async Task<bool> CheckAsync(string userId, string? sessionId, string? ipAddress, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.UserSessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .Select(s => new { s.LastSeenAt, s.IpAddress })
            .SingleOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (now - session.LastSeenAt >= TouchEvery || (ipAddress is not null && ipAddress != session.IpAddress))
        {
            await db.WriteAsync(() => db.UserSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.IpAddress, ipAddress ?? session.IpAddress), cancellationToken), cancellationToken);
        }

        return true;
    }

    /// <summary>Ends the user's active sessions that <paramref name="which"/> selects; returns how many ended.</summary>
    public async Task<int> EndAsync(string userId, Func<IQueryable<UserSession>, IQueryable<UserSession>> which, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = which(db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null));
        var ids = await active.Select(s => s.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var ended = await db.WriteAsync(() => db.UserSessions.Where(s => ids.Contains(s.Id) && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndedReason, reason), cancellationToken), cancellationToken);
        Ended?.Invoke(userId, ids);
        feed.Send(Kind, System.Text.Json.JsonSerializer.Serialize(new EndedSessions(userId, [.. ids])));
        return ended;
    }

    public Task<int> EndOneAsync(string userId, string sessionId, string reason, CancellationToken cancellationToken = default) =>
        EndAsync(userId, sessions => sessions.Where(s => s.Id == sessionId), reason, cancellationToken);

    /// <summary>Every session of the user but <paramref name="keepSessionId"/> (all of them when it is null).</summary>
    public Task<int> EndAllButAsync(string userId, string? keepSessionId, string reason, CancellationToken cancellationToken = default) =>
        EndAsync(userId, sessions => keepSessionId is null ? sessions : sessions.Where(s => s.Id != keepSessionId), reason, cancellationToken);
}
