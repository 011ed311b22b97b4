using System.Collections.Concurrent;
using Quartz;

namespace Cashout.Portal.Jobs;

/// <summary>The last run of a job: when, how long, what it did or why it failed.</summary>
public sealed record JobRun(DateTimeOffset StartedAt, TimeSpan Duration, string? Result, string? Error);

/// <summary>
/// Remembers each job's last run and last error for /admin/jobs. In memory on purpose: it describes this process's
/// scheduler, not business state (which lives in the database), and starts empty after a restart.
/// </summary>
public sealed class JobRunLog(TimeProvider time, ILogger<JobRunLog> logger) : IJobListener
{
    private readonly ConcurrentDictionary<JobKey, JobRun> lastRuns = new();
    private readonly ConcurrentDictionary<JobKey, JobRun> lastFailures = new();
    private readonly ConcurrentDictionary<JobKey, bool> running = new();

    public string Name => "job-run-log";

    public JobRun? LastRun(JobKey key) => lastRuns.GetValueOrDefault(key);

    public JobRun? LastFailure(JobKey key) => lastFailures.GetValueOrDefault(key);

    public bool IsRunning(JobKey key) => running.GetValueOrDefault(key);

    public Task JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        running[context.JobDetail.Key] = true;
        return Task.CompletedTask;
    }

    public Task JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key;
        var error = jobException is null ? null : (jobException.InnerException ?? jobException).Message;
        var run = new JobRun(context.FireTimeUtc.ToUniversalTime(), context.JobRunTime, context.Result?.ToString(), error);
        lastRuns[key] = run;
        running[key] = false;
        if (error is not null)
        {
            lastFailures[key] = run;
            logger.LogError(jobException, "Job {Job} failed at {At}", key, time.GetUtcNow());
        }

        return Task.CompletedTask;
    }
}
