using System.ComponentModel.DataAnnotations;

namespace Cashout.Portal.Api;

/// <summary>The machine APIs' settings (section "Api"), validated at start.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Requests each API credential may make per second on average.</summary>
    [Range(1, 100_000)]
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>How many requests a credential may send at once before the per-second rate applies.</summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 20;

    /// <summary>
    /// How long a verified API credential is kept in memory. A rotation in this process evicts it at once; this is the
    /// most a change written by another process on the same database can go unseen.
    /// </summary>
    [Range(0, 3_600)]
    public int CredentialCacheSeconds { get; set; } = 5;

    /// <summary>How long the first answer to an Idempotency-Key is replayed.</summary>
    [Range(1, 168)]
    public int IdempotencyHours { get; set; } = 24;

    /// <summary>
    /// Where the Data Protection keys that encrypt signature secrets live (relative to the content root); empty for
    /// a "keys" folder beside the database file.
    /// </summary>
    public string? DataProtectionKeysPath { get; set; }
}

/// <summary>Outbound webhooks (section "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    [Range(1, 60)]
    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Allows http:// endpoints (Development and tests); production endpoints must use https.</summary>
    public bool AllowHttpEndpoints { get; set; }

    /// <summary>
    /// Allows endpoints on loopback and private networks (Development and tests, where the receiver runs on this
    /// machine). Off in production: see <see cref="Webhooks.PublicNetworkGuard"/>.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}
