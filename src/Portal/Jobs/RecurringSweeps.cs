using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Jobs;

/// <summary>
/// The sweeps as Hangfire recurring jobs: scheduled from the Jobs settings, paused, resumed, run now, read back.
/// Hangfire 1.8 (open source) cannot pause a recurring job, so pausing removes it (docs/decisions/015-hangfire-jobs.md):
/// a paused sweep has no schedule, and after-commit triggers and per-cashout submissions see it gone and hold back.
/// Deleting it from Hangfire's dashboard is the same as pausing it here; resuming schedules it again.
/// </summary>
public sealed class RecurringSweeps(
    IEnumerable<RecurringSweep> sweeps,
    IRecurringJobManagerV2 recurringJobs,
    IBackgroundJobClientV2 client,
    JobStorage storage,
    IOptions<JobsOptions> options,
    ILogger<RecurringSweeps> logger)
{
    /// <summary>How often scheduling a sweep waits out its recurring job's lock (each wait is Hangfire's, 15 s) before giving up.</summary>
    private const int ScheduleAttempts = 5;

    public const string Submit = "submit";
    public const string OutboxSender = "outbox-sender";
    public const string WebhookDelivery = "webhook-delivery";

    public IReadOnlyList<RecurringSweep> All { get; } = [.. sweeps];

    public RecurringSweep? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    /// <summary>Adds every sweep to Hangfire, or updates its schedule from the settings.</summary>
    public void ScheduleAll()
    {
        foreach (var sweep in All)
        {
            Schedule(sweep);
        }
    }

    /// <summary>
    /// Whether the sweep has no recurring job (paused, or deleted from the dashboard). Asked for every cashout's
    /// submission, so it reads only the job's own hash (Hangfire's key for it) rather than <see cref="Read"/>, which
    /// deserializes every sweep's job: that was 1.6% of the portal's CPU in the pipeline (docs/performance.md).
    /// </summary>
    public bool IsPaused(string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllEntriesFromHash($"recurring-job:{id}") is not { Count: > 0 };
    }

    public void Pause(RecurringSweep sweep) => recurringJobs.RemoveIfExists(sweep.Id);

    /// <summary>Schedules the sweep again and runs it at once, so whatever waited while it was paused goes now.</summary>
    public void Resume(RecurringSweep sweep)
    {
        Schedule(sweep);
        recurringJobs.TriggerJob(sweep.Id);
    }

    /// <summary>
    /// Runs the sweep once, now, whether it is paused or not. Triggered through its recurring job when it has one,
    /// so Hangfire's dashboard shows the run under it.
    /// </summary>
    public string RunNow(RecurringSweep sweep) =>
        recurringJobs.TriggerJob(sweep.Id) ?? client.Create(sweep.Job, new EnqueuedState(RecurringSweep.Queue));

    /// <summary>Enqueues a run of a scheduled (not paused) sweep; returns false when it is paused.</summary>
    public bool TryTrigger(string id) => recurringJobs.TriggerJob(id) is not null;

    /// <summary>The sweeps Hangfire has (paused ones are absent), by id.</summary>
    public IReadOnlyDictionary<string, RecurringJobDto> Read()
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs(All.Select(s => s.Id))
            .Where(job => !job.Removed)
            .ToDictionary(job => job.Id);
    }

    /// <summary>
    /// A node killed while it triggered a sweep leaves the sweep's recurring-job lock to expire (PostgreSQL storage:
    /// DistributedLockTimeout, 30 s): a node starting meanwhile (the killed one, restarted) waits for it rather than
    /// failing to start. Seen in the crash test on PostgreSQL.
    /// </summary>
    private void Schedule(RecurringSweep sweep)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                recurringJobs.AddOrUpdate(sweep.Id, sweep.Job, RecurringSweep.CronFor(sweep.Schedule(options.Value).IntervalSeconds), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
                return;
            }
            catch (DistributedLockTimeoutException ex) when (attempt < ScheduleAttempts)
            {
                logger.LogWarning(ex, "The {Sweep} sweep's schedule is locked, perhaps by a node that stopped while holding it; waiting again ({Attempt} of {Attempts})",
                    sweep.Id, attempt, ScheduleAttempts);
            }
        }
    }
}
