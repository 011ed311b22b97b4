using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.Identity.Sessions;

/// <summary>
/// One signed-in browser: created at sign-in, named in the cookie by <see cref="SessionClaims.SessionId"/>, checked
/// on every request and every circuit revalidation, ended by signing out, from another session, by a password
/// change or by an admin. An ended session's cookie is refused even if someone kept a copy.
/// </summary>
public sealed class UserSession
{
    private UserSession()
    {
    }

    public string Id { get; private set; } = "";

    public string UserId { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The last request seen, to the minute (it is not written on every request).</summary>
    public DateTimeOffset LastSeenAt { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>signed_out, ended_by_user, password_changed, ended_by_admin.</summary>
    public string? EndedReason { get; private set; }

    public bool IsActive => EndedAt is null;

    public static UserSession Start(string userId, string? ipAddress, string? userAgent, DateTimeOffset now) => new()
    {
        Id = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
        UserId = userId,
        CreatedAt = now,
        LastSeenAt = now,
        IpAddress = ipAddress,
        UserAgent = userAgent is { Length: > 300 } ? userAgent[..300] : userAgent,
    };
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> session)
    {
        session.HasKey(s => s.Id);
        session.Property(s => s.Id).HasMaxLength(32);
        session.Property(s => s.UserId).HasMaxLength(450);
        session.Property(s => s.IpAddress).HasMaxLength(64);
        session.Property(s => s.UserAgent).HasMaxLength(300);
        session.Property(s => s.EndedReason).HasMaxLength(32);
        session.HasIndex(s => new { s.UserId, s.EndedAt });
        session.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
