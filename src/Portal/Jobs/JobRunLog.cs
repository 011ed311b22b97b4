using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Server;

namespace Cashout.Portal.Jobs;

/// <summary>The last run of a job: when, how long, what it did or why it failed.</summary>
public sealed record JobRun(DateTimeOffset StartedAt, TimeSpan Duration, string? Result, string? Error);

/// <summary>
/// A Hangfire server filter that remembers each job's last run and last error for /admin/jobs: the sweep itself
/// and the per-cashout work of the same job class (a submission enqueued after a commit counts as a run of
/// "submit"). In memory on purpose: it describes this process's workers, not business state (which lives in the
/// database), and starts empty after a restart; Hangfire's dashboard keeps the full history of its storage.
/// </summary>
public sealed class JobRunLog(IEnumerable<RecurringSweep> sweeps, TimeProvider time, ILogger<JobRunLog> logger) : IServerFilter
{
    private const string StartedKey = "cashout-portal:started";

    private readonly Dictionary<Type, string> idsByType = sweeps.ToDictionary(s => s.JobType, s => s.Id);
    private readonly ConcurrentDictionary<string, JobRun> lastRuns = new();
    private readonly ConcurrentDictionary<string, JobRun> lastFailures = new();
    private readonly ConcurrentDictionary<string, int> running = new();

    public JobRun? LastRun(string id) => lastRuns.GetValueOrDefault(id);

    public JobRun? LastFailure(string id) => lastFailures.GetValueOrDefault(id);

    public bool IsRunning(string id) => running.GetValueOrDefault(id) > 0;

    public void OnPerforming(PerformingContext context)
    {
        if (IdOf(context.BackgroundJob.Job) is { } id)
        {
            running.AddOrUpdate(id, 1, (_, count) => count + 1);
            context.Items[StartedKey] = (time.GetUtcNow(), Stopwatch.GetTimestamp());
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (IdOf(context.BackgroundJob.Job) is not { } id || !context.Items.TryGetValue(StartedKey, out var started) || started is not (DateTimeOffset startedAt, long timestamp))
        {
            return;
        }

        running.AddOrUpdate(id, 0, (_, count) => Math.Max(0, count - 1));
        if (context.Canceled)
        {
            return; // the process is stopping: not a failure of the job
        }

        // Hangfire wraps what the job threw; the admin wants the job's own message.
        var exception = context.Exception is JobPerformanceException { InnerException: { } inner } ? inner : context.Exception;
        var run = new JobRun(startedAt, Stopwatch.GetElapsedTime(timestamp), context.Result?.ToString(), exception?.Message);
        lastRuns[id] = run;
        if (exception is not null)
        {
            lastFailures[id] = run;
            logger.LogError(exception, "Job {Job} ({JobId}) failed", id, context.BackgroundJob.Id);
        }
    }

    private string? IdOf(Job? job) => job is null ? null : idsByType.GetValueOrDefault(job.Type);
}
