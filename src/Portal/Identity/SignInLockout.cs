using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cashout.Portal.Audit;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Identity;

/// <summary>
/// A refused password sign-in as the login page shows it: how many attempts are left before the lockout, or when
/// the lockout ends. The same for an email with no account as for a real one, so the answers tell nothing.
/// </summary>
public sealed class PortalSignInResult : SignInResult
{
    public int? AttemptsLeft { get; private init; }

    public DateTimeOffset? LockoutEnd { get; private init; }

    public static PortalSignInResult WrongAnswer(int attemptsLeft) => new() { AttemptsLeft = attemptsLeft };

    public static PortalSignInResult LockedOutUntil(DateTimeOffset end) => new() { IsLockedOut = true, LockoutEnd = end };

    /// <summary>The lockout page, with the end (to the second, in UTC) when the result has one.</summary>
    public static string LockoutPage(SignInResult result) => LockoutPage((result as PortalSignInResult)?.LockoutEnd);

    public static string LockoutPage(DateTimeOffset? end) => end is { } until
        ? $"Account/Lockout?until={Uri.EscapeDataString(until.ToUniversalTime().ToString(EndFormat, CultureInfo.InvariantCulture))}"
        : "Account/Lockout";

    public const string EndFormat = "yyyy-MM-ddTHH:mm:ssZ";
}

/// <summary>
/// Failed sign-ins with an email that has no account count and lock as an account's do (Identity's
/// MaxFailedAccessAttempts and DefaultLockoutTimeSpan; the count kept until a lockout, as Identity keeps
/// AccessFailedCount), so "temporarily locked" never tells that an account exists. The count is read back from the
/// audit log, which records every such attempt under the address's hash (SHA-256 of the normalized email): it is in
/// the database every node shares, ordered by the chain's single writer, and needs no table of its own (ADR 033).
/// </summary>
public sealed class UnknownEmailLockout(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, IOptions<IdentityOptions> identity, TimeProvider time)
{
    public const string SubjectType = "sign_in_email";

    public async Task<PortalSignInResult> FailAsync(string typedEmail, string normalizedEmail, string? clientAddress)
    {
        var lockout = identity.Value.Lockout;
        var subjectId = SubjectIdOf(normalizedEmail);
        var now = time.GetUtcNow();
        List<(string Action, string? After)> recent;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            recent = [.. (await db.AuditEntries.AsNoTracking()
                .Where(e => e.SubjectType == SubjectType && e.SubjectId == subjectId)
                .OrderByDescending(e => e.Id)
                .Take(lockout.MaxFailedAccessAttempts)
                .Select(e => new { e.Action, e.After })
                .ToListAsync()).Select(e => (e.Action, e.After))];
        }

        var actor = AuditActor.Anonymous(typedEmail, clientAddress);
        if (CurrentLockoutEnd(recent, now) is not { } end)
        {
            var failures = recent.TakeWhile(e => e.Action == AuditActions.SignInFailed).Count() + 1;
            if (failures < lockout.MaxFailedAccessAttempts)
            {
                await RecordAsync(actor, AuditActions.SignInFailed, "Sign-in failed: no account with this email", subjectId, new { reason = "unknown_email", failedAttempts = failures });
                return PortalSignInResult.WrongAnswer(lockout.MaxFailedAccessAttempts - failures);
            }

            end = now + lockout.DefaultLockoutTimeSpan;
        }

        await RecordAsync(actor, AuditActions.LockedOut, "Sign-in refused: no account with this email, locked out as an account would be", subjectId, new { method = "password", lockoutEnd = end });
        return PortalSignInResult.LockedOutUntil(end);
    }

    /// <summary>A fixed-length key that does not spell the address out again (the actor name already has what was typed).</summary>
    public static string SubjectIdOf(string normalizedEmail) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));

    private Task RecordAsync(AuditActor actor, string action, string summary, string subjectId, object after) =>
        audit.RecordAsync(new AuditRecord(AuditCategory.SecurityEvent, action, actor, summary, SubjectType, subjectId, After: after));

    /// <summary>The end of the lockout the latest attempt met or started, while it lasts.</summary>
    private static DateTimeOffset? CurrentLockoutEnd(List<(string Action, string? After)> recent, DateTimeOffset now)
    {
        if (recent is not [{ Action: AuditActions.LockedOut, After: { } after }, ..])
        {
            return null;
        }

        using var json = JsonDocument.Parse(after);
        return json.RootElement.TryGetProperty("lockoutEnd", out var end) && end.TryGetDateTimeOffset(out var value) && value > now ? value : null;
    }
}
