using System.ComponentModel.DataAnnotations;

namespace Cashout.Portal.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Runs the Hangfire server in this process. Off (integration tests), nothing is processed or enqueued here:
    /// tests run the jobs themselves, so nothing happens behind their back.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Hangfire workers: how many jobs (sweeps and per-cashout submissions) run at once. A submission spends most of its
    /// time waiting (for the provider's answer, for the write turn), so more workers keep more cashouts moving: 20 against
    /// 10 finished the pipeline benchmark sooner in each of three pairs, 4 later (docs/performance.md).
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 20;

    /// <summary>
    /// How often Hangfire looks for scheduled and recurring jobs that have come due, which bounds how late a
    /// review window's end or a one-second sweep can be noticed.
    /// </summary>
    [Range(100, 60_000)]
    public int PollingIntervalMilliseconds { get; set; } = 1_000;

    [Required]
    public JobSchedule OutboxSender { get; set; } = new() { IntervalSeconds = 5 };

    /// <summary>Sends Pending cashouts past the review window to their provider.</summary>
    [Required]
    public JobSchedule Submit { get; set; } = new() { IntervalSeconds = 30 };

    /// <summary>Polls providers for Processing cashouts whose webhook is late.</summary>
    [Required]
    public JobSchedule Track { get; set; } = new() { IntervalSeconds = 60 };

    /// <summary>Makes pending funds available on their settlement date.</summary>
    [Required]
    public JobSchedule Settle { get; set; } = new() { IntervalSeconds = 300 };

    /// <summary>How often due webhook deliveries are looked for (the retry schedule itself is per delivery).</summary>
    [Required]
    public JobSchedule WebhookDelivery { get; set; } = new() { IntervalSeconds = 2 };
}

public sealed class JobSchedule
{
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 60;
}
