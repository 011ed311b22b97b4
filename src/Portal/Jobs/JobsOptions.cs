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

    /// <summary>How often due webhook deliveries are looked for (the retry schedule itself is per delivery).</summary>
    [Required]
    public JobSchedule WebhookDelivery { get; set; } = new() { IntervalSeconds = 2 };
}

public sealed class JobSchedule
{
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 60;
}
