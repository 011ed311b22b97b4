using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Sandbox;

/// <summary>
/// The sandbox's memory, in a SQLite file of its own (not the portal's database: it plays another company).
/// Created with EnsureCreated: it is a disposable test double; delete the file when its shape changes.
/// </summary>
public sealed class SandboxDbContext(DbContextOptions<SandboxDbContext> options) : DbContext(options)
{
    public DbSet<SandboxPayout> Payouts => Set<SandboxPayout>();
    public DbSet<SandboxSubmission> Submissions => Set<SandboxSubmission>();
    public DbSet<SandboxWebhook> Webhooks => Set<SandboxWebhook>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.Entity<SandboxPayout>(payout =>
        {
            payout.HasKey(p => p.Id);
            // A provider pays once per idempotency key: that is the whole point of the key.
            payout.HasIndex(p => new { p.Provider, p.IdempotencyKey }).IsUnique();
            // The processor's tick finds the payouts due by this alone (SandboxLedger.AdvanceAsync).
            payout.HasIndex(p => p.DueAtMs);
            payout.HasIndex(p => p.Reference);
        });
        builder.Entity<SandboxSubmission>(submission => submission.HasIndex(s => new { s.Provider, s.IdempotencyKey }));
        builder.Entity<SandboxWebhook>(webhook => webhook.HasIndex(w => new { w.DeliveredAt, w.NextAttemptAtMs }));
    }
}

/// <summary>A payout the sandbox accepted. Times are UTC milliseconds (SQLite cannot order DateTimeOffset).</summary>
public sealed class SandboxPayout
{
    public string Id { get; set; } = "";
    public string Provider { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public string Reference { get; set; } = "";
    public long Amount { get; set; }
    public long Fee { get; set; }
    public long NetAmount { get; set; }
    public string Currency { get; set; } = "";
    public string Payee { get; set; } = "";
    public string Priority { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Code { get; set; }
    public string? Reason { get; set; }
    public long CreatedAtMs { get; set; }

    /// <summary>When the payout moves next (completes, or is returned).</summary>
    public long? DueAtMs { get; set; }
}

/// <summary>Every submission request the sandbox answered, with what it did: the evidence that nothing was paid twice.</summary>
public sealed class SandboxSubmission
{
    public long Id { get; set; }
    public string Provider { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public string Reference { get; set; } = "";
    public long AtMs { get; set; }

    /// <summary>created, replayed, rejected, unavailable or mismatch.</summary>
    public string Outcome { get; set; } = "";
}

/// <summary>A webhook the sandbox owes the portal, retried until the portal answers 2xx.</summary>
public sealed class SandboxWebhook
{
    public long Id { get; set; }
    public string WebhookId { get; set; } = "";
    public string Provider { get; set; } = "";
    public string Body { get; set; } = "";
    public int Attempts { get; set; }
    public long NextAttemptAtMs { get; set; }
    public long? DeliveredAt { get; set; }
    public string? LastError { get; set; }
}
