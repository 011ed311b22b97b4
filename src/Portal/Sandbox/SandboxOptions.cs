using System.ComponentModel.DataAnnotations;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;

namespace Cashout.Portal.Sandbox;

/// <summary>
/// The provider sandbox (section "Sandbox"): a stand-in for Payoneer, Tipalti and the bank, served by this app under
/// /sandbox/{provider}/ with its own SQLite file, so what it accepted survives a restart. It uses the API keys and
/// webhook secrets of the "Providers" section, as the real providers would share them with us.
/// </summary>
public sealed class SandboxOptions : IValidatableObject
{
    public const string Section = "Sandbox";

    public bool Enabled { get; set; }

    /// <summary>The sandbox's own SQLite file (its memory of payouts and webhooks), relative to the content root.</summary>
    [Required]
    public string DatabasePath { get; set; } = "data/sandbox.db";

    /// <summary>
    /// Where the sandbox sends its webhooks. Empty: the portal's own address (Portal:PublicBaseUrl, or where the
    /// server listens), so the sandbox follows the portal to any port.
    /// </summary>
    public string PortalBaseUrl { get; set; } = "";

    /// <summary>How many times faster than real life payouts complete: 20000 turns two days into under 9 seconds.</summary>
    [Range(1.0, 1.0e9)]
    public double TimeScale { get; set; } = 1;

    /// <summary>Real-life processing time per method (before <see cref="TimeScale"/>).</summary>
    public TimeSpan PayoneerProcessing { get; set; } = TimeSpan.FromDays(2);

    public TimeSpan TipaltiProcessing { get; set; } = TimeSpan.FromDays(4);

    public TimeSpan BankProcessing { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan BankInstantProcessing { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after completion a <c>+return</c> payee's payout comes back.</summary>
    public TimeSpan ReturnAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a <c>+slow</c> payee's submission takes to answer (real time, not scaled).</summary>
    [Range(0, 120_000)]
    public int SlowResponseMilliseconds { get; set; } = 3_000;

    /// <summary>How many submissions of a <c>+down</c> payee answer 503 before one succeeds.</summary>
    [Range(0, 100)]
    public int DownFailures { get; set; } = 2;

    /// <summary>How often the sandbox moves payouts along and delivers webhooks.</summary>
    [Range(10, 60_000)]
    public int TickMilliseconds { get; set; } = 250;

    /// <summary>
    /// How many webhooks the sandbox has in flight to the portal at once, as a provider delivering them side by side;
    /// each tick delivers up to 25 times as many.
    /// </summary>
    [Range(1, 64)]
    public int WebhookParallelism { get; set; } = 4;

    /// <summary>Countries of bank transfer instruments with an instant route.</summary>
    public string[] InstantCountries { get; set; } = ["NL", "SE", "DE", "FR", "BE", "ES", "IT", "GB"];

    public TimeSpan ProcessingTime(PayoutMethod method, bool instant) => Scaled(method switch
    {
        PayoutMethod.Payoneer => PayoneerProcessing,
        PayoutMethod.Tipalti => TipaltiProcessing,
        _ => instant ? BankInstantProcessing : BankProcessing,
    });

    public TimeSpan Scaled(TimeSpan realLife) => realLife / TimeScale;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PortalBaseUrl.Length > 0 && !PortalAddress.IsHttpUrl(PortalBaseUrl))
        {
            yield return new ValidationResult("Sandbox:PortalBaseUrl must be an absolute http(s) URL when set.");
        }

        if (new[] { PayoneerProcessing, TipaltiProcessing, BankProcessing, BankInstantProcessing, ReturnAfter }.Any(t => t < TimeSpan.Zero))
        {
            yield return new ValidationResult("Sandbox processing times must not be negative.");
        }
    }
}
