using Cashout.Portal.Common;
using Cashout.Portal.Jobs;
using Microsoft.Extensions.Options;
using Quartz;

namespace Cashout.Portal.Admin.Jobs;

public enum JobState
{
    Scheduled,
    Running,
    Paused,

    /// <summary>The scheduler is off (Jobs:Enabled = false): nothing fires.</summary>
    Stopped,
}

/// <summary>One recurring job as /admin/jobs shows it.</summary>
public sealed record JobRow(
    string Name,
    string Group,
    string Description,
    int IntervalSeconds,
    JobState State,
    DateTimeOffset? NextFireAt,
    JobRun? LastRun,
    JobRun? LastFailure)
{
    public string Id => $"{Group}.{Name}";
}

/// <summary>Every recurring job with its next fire, last run and last error (Admin only).</summary>
public sealed class ListJobs(SchedulerAccessor accessor, IEnumerable<RecurringJob> jobs, JobRunLog runLog, IOptions<JobsOptions> options)
{
    public async Task<IReadOnlyList<JobRow>?> HandleAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return null;
        }

        var rows = new List<JobRow>();
        foreach (var job in jobs)
        {
            var state = JobState.Stopped;
            DateTimeOffset? next = null;
            if (accessor is { IsRunning: true, Scheduler: { } scheduler })
            {
                var trigger = (await scheduler.GetTriggersOfJob(job.Key, cancellationToken)).FirstOrDefault();
                var paused = trigger is not null && await scheduler.GetTriggerState(trigger.Key, cancellationToken) == TriggerState.Paused;
                state = runLog.IsRunning(job.Key) ? JobState.Running : paused ? JobState.Paused : JobState.Scheduled;
                next = paused ? null : trigger?.GetNextFireTimeUtc();
            }

            rows.Add(new JobRow(job.Key.Name, job.Key.Group, job.Description, job.Schedule(options.Value).IntervalSeconds, state, next,
                runLog.LastRun(job.Key), runLog.LastFailure(job.Key)));
        }

        return rows;
    }
}
