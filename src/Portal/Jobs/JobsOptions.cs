using System.ComponentModel.DataAnnotations;

namespace Cashout.Portal.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Turns the scheduler off (integration tests drive the jobs themselves).</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 16)]
    public int MaxConcurrency { get; set; } = 4;

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
