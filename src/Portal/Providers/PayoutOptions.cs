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

    /// <summary>
    /// The cooling-off period: a cashout to a payout method linked less than this many hours ago is created on hold
    /// for an admin's review (DESIGN.md section 2; a changed destination is the first sign of a leaked credential or
    /// a taken-over account); 0 turns it off (the Development default).
    /// </summary>
    [Range(0, 720)]
    public int CoolingOffHours { get; set; } = 24;

    public TimeSpan CoolingOff => TimeSpan.FromHours(CoolingOffHours);

    public TimeSpan ReviewWindow => TimeSpan.FromSeconds(ReviewWindowSeconds);

    public TimeSpan PollAfter => TimeSpan.FromSeconds(PollAfterSeconds);
}
