using Cashout.Portal.Common;
using Cashout.Portal.Jobs;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Admin.Jobs;

public enum JobState
{
    Scheduled,
    Running,
    Paused,

    /// <summary>The scheduler is off (Jobs:Enabled = false): nothing runs.</summary>
    Stopped,
}

/// <summary>One recurring job as /admin/jobs shows it.</summary>
public sealed record JobRow(
    string Name,
    string Description,
    int IntervalSeconds,
    JobState State,
    DateTimeOffset? NextFireAt,
    JobRun? LastRun,
    JobRun? LastFailure);

/// <summary>Every recurring job with its next run (from Hangfire), last run and last error (Admin only).</summary>
public sealed class ListJobs(RecurringSweeps sweeps, JobRunLog runLog, IOptions<JobsOptions> options)
{
    public Task<IReadOnlyList<JobRow>?> HandleAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Task.FromResult<IReadOnlyList<JobRow>?>(null);
        }

        var settings = options.Value;
        var scheduled = sweeps.Read();
        var rows = sweeps.All.Select(sweep =>
        {
            var recurring = scheduled.GetValueOrDefault(sweep.Id);
            var state = !settings.Enabled ? JobState.Stopped
                : recurring is null ? JobState.Paused
                : runLog.IsRunning(sweep.Id) ? JobState.Running
                : JobState.Scheduled;
            DateTimeOffset? next = settings.Enabled && recurring?.NextExecution is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
            return new JobRow(sweep.Id, sweep.Description, sweep.Schedule(settings).IntervalSeconds, state, next, runLog.LastRun(sweep.Id), runLog.LastFailure(sweep.Id));
        }).ToList();

        return Task.FromResult<IReadOnlyList<JobRow>?>(rows);
    }
}
