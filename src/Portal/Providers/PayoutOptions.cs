using System.ComponentModel.DataAnnotations;

namespace Cashout.Portal.Providers;

/// <summary>How the payout pipeline paces itself (section "Payouts"). Validated at start.</summary>
public sealed class PayoutOptions
{
    public const string Section = "Payouts";

    /// <summary>How long a Pending cashout waits for admin review before the submit job sends it.</summary>
    [Range(0, 7 * 86_400)]
    public int ReviewWindowSeconds { get; set; } = 900;

    /// <summary>A Processing cashout not heard of for this long is polled (its webhook is late).</summary>
    [Range(1, 7 * 86_400)]
    public int PollAfterSeconds { get; set; } = 900;

    /// <summary>Cashouts a sweep (submit, track) takes up per run.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>After a submission failed transiently (all in-call retries spent): first wait, doubled each time.</summary>
    [Range(1, 86_400)]
    public int SubmitRetryBaseSeconds { get; set; } = 30;

    [Range(1, 86_400)]
    public int SubmitRetryMaxSeconds { get; set; } = 3_600;

    public TimeSpan ReviewWindow => TimeSpan.FromSeconds(ReviewWindowSeconds);

    public TimeSpan PollAfter => TimeSpan.FromSeconds(PollAfterSeconds);
}
