using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Identity.Sessions;

/// <summary>One signed-in session as the person sees it at /settings/security.</summary>
public sealed record SessionRow(string Id, string Device, string? Address, DateTimeOffset SignedInAt, DateTimeOffset LastSeenAt, bool IsCurrent);

/// <summary>The caller's own sessions that are signed in now, the current one first, then the most recently seen.</summary>
public sealed class ListSessions(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<SessionRow>> HandleAsync(Caller caller, string? currentSessionId, CancellationToken cancellationToken = default)
    {
        if (caller.IsSystem || string.IsNullOrEmpty(caller.Id))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == caller.Id && s.EndedAt == null)
            .OrderByDescending(s => s.LastSeenAt)
            .Take(100)
            .ToListAsync(cancellationToken);
        return [.. sessions
            .Select(s => new SessionRow(s.Id, DeviceName.Of(s.UserAgent), s.IpAddress, s.CreatedAt, s.LastSeenAt, s.Id == currentSessionId))
            .OrderByDescending(s => s.IsCurrent)];
    }
}

/// <summary>A short name for a browser's User-Agent ("Chrome on Windows"), good enough to recognise one's devices.</summary>
public static class DeviceName
{
    public static string Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "Unknown device";
        }

        var browser = Has("Edg/") ? "Edge" : Has("OPR/") ? "Opera" : Has("Firefox/") ? "Firefox" : Has("Chrome/") || Has("Chromium/") ? "Chrome"
            : Has("Safari/") ? "Safari" : Has("curl/") ? "curl" : "A browser";
        var system = Has("Android") ? "Android" : Has("iPhone") || Has("iPad") ? "iOS" : Has("Windows") ? "Windows" : Has("Mac OS X") ? "macOS"
            : Has("CrOS") ? "ChromeOS" : Has("Linux") ? "Linux" : null;
        return system is null ? browser : $"{browser} on {system}";

        bool Has(string token) => userAgent.Contains(token, StringComparison.Ordinal);
    }
}
