using System.Collections.Concurrent;
using Cashout.Portal.Providers;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Jobs;

/// <summary>
/// Work with a natural moment is enqueued right after the commit that creates it (docs/decisions/015-hangfire-jobs.md):
/// a sweep of the email outbox or of webhook deliveries when one was just queued, and a cashout's own submission
/// at the end of its review window or when its retry time comes. The sweeps stay, for whatever a trigger missed.
/// Jobs read what to do from the database, so a trigger is only ever a hint: one too many changes nothing.
/// </summary>
public sealed class PipelineTriggers(
    RecurringSweeps sweeps,
    IBackgroundJobClientV2 client,
    QueuedRuns queued,
    IOptions<JobsOptions> jobs,
    IOptions<PayoutOptions> payouts,
    TimeProvider time,
    ILogger<PipelineTriggers> logger)
{

    /// <summary>
    /// An email was just queued (or queued again) to go at <paramref name="dueAt"/>: the outbox sender runs now if
    /// that has come. A retry later on is left to the sweep, which runs every few seconds.
    /// </summary>
    public void EmailQueued(DateTimeOffset dueAt) => TriggerSweep(RecurringSweeps.OutboxSender, dueAt);

    /// <summary>A webhook delivery was just written, due at <paramref name="dueAt"/>: the delivery sweep runs now if that has come.</summary>
    public void WebhookQueued(DateTimeOffset dueAt) => TriggerSweep(RecurringSweeps.WebhookDelivery, dueAt);

    /// <summary>A cashout is Pending (just requested, or released from hold): its submission runs when its review window ends.</summary>
    public void CashoutPending(long cashoutId, DateTimeOffset createdAt) => SubmitAt(cashoutId, createdAt + payouts.Value.ReviewWindow);

    /// <summary>A cashout's submission runs now, unless one is already queued or the submit job is paused.</summary>
    public void SubmitNow(long cashoutId) => SubmitAt(cashoutId, DateTimeOffset.MinValue);

    /// <summary>A cashout's submission runs at <paramref name="at"/> (now if that has passed), unless the submit job is paused.</summary>
    public void SubmitAt(long cashoutId, DateTimeOffset at)
    {
        if (!jobs.Value.Enabled || sweeps.IsPaused(RecurringSweeps.Submit))
        {
            return;
        }

        Run(() =>
        {
            if (at > time.GetUtcNow())
            {
                client.Schedule<SubmitCashoutsJob>(job => job.SubmitOneAsync(cashoutId, CancellationToken.None), NotBefore(at));
            }
            else if (queued.TryMarkSubmission(cashoutId))
            {
                client.Enqueue<SubmitCashoutsJob>(job => job.SubmitOneAsync(cashoutId, CancellationToken.None));
            }
        });
    }

    /// <summary>
    /// The moment to hand Hangfire so that a job never runs before <paramref name="at"/>: Hangfire keeps a scheduled
    /// job's time as whole Unix seconds and enqueues it once that second has begun, up to a second early. A
    /// submission that early finds its review window still open, does nothing, and would wait for the next sweep.
    /// </summary>
    public static DateTimeOffset NotBefore(DateTimeOffset at)
    {
        var intoSecond = at.UtcTicks % TimeSpan.TicksPerSecond;
        return intoSecond == 0 ? at : at.AddTicks(TimeSpan.TicksPerSecond - intoSecond);
    }

    /// <summary>
    /// A cashout's submission has ended: while its sweep left due cashouts behind, it runs again once half of the
    /// submissions it handed out have ended, so a backlog (a restart, requests from another process) drains at the
    /// workers' pace rather than a batch per interval.
    /// </summary>
    public void SubmissionEnded(long cashoutId)
    {
        // Itself no longer counted first, so of submissions ending together the last always sees the others gone.
        queued.SubmissionEnded(cashoutId);
        if (queued.SubmitSweepLeftSomeDue && queued.SubmissionsInFlight().Count <= payouts.Value.BatchSize / 2)
        {
            TriggerSweep(RecurringSweeps.Submit, DateTimeOffset.MinValue);
        }
    }

    private void TriggerSweep(string id, DateTimeOffset dueAt)
    {
        if (!jobs.Value.Enabled || dueAt > time.GetUtcNow() || !queued.TryMark(id))
        {
            return;
        }

        Run(() =>
        {
            if (!sweeps.TryTrigger(id))
            {
                queued.Clear(id); // paused: nothing was queued
            }
        });
    }

    /// <summary>A trigger never fails the commit it follows: the sweeps pick up whatever it could not enqueue.</summary>
    private void Run(Action enqueue)
    {
        try
        {
            enqueue();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not enqueue a job after a commit; the next sweep will pick the work up");
        }
    }
}

/// <summary>
/// Coalesces runs in this process. While a run of a sweep (or of one cashout's submission) is queued and has not
/// started, another trigger adds nothing, because that run reads the database after the commit that fired it. As a
/// run starts (a Hangfire server filter, once it holds its lock) its mark is cleared, so a commit from then on queues
/// one more. A mark older than <see cref="StaleAfter"/> is ignored, in case its job was deleted before it ran.
/// The same holds for runs the sweep's schedule or an admin adds: while one run of a sweep waits for the lock a
/// running one holds, another is dropped (<see cref="BeforeLock"/>) instead of holding a second worker in the wait.
/// Submissions queued or running are also known by cashout, so the submit sweep hands out others.
/// </summary>
public sealed class QueuedRuns(IEnumerable<RecurringSweep> sweeps, TimeProvider time) : IServerFilter
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>A submission queued longer than this is taken for lost (its job deleted): the sweep hands it out again.</summary>
    private static readonly TimeSpan SubmissionStaleAfter = TimeSpan.FromMinutes(10);

    private readonly RecurringSweep[] sweeps = [.. sweeps];
    private readonly ConcurrentDictionary<string, DateTimeOffset> marks = new();
    private readonly ConcurrentDictionary<string, (string JobId, DateTimeOffset Since)> waitingForLock = new();
    private readonly ConcurrentDictionary<long, DateTimeOffset> submissions = new();

    public static string SubmissionKey(long cashoutId) => $"submit:{cashoutId}";

    /// <summary>Whether the submit sweep's last run found more due cashouts than it handed out.</summary>
    public bool SubmitSweepLeftSomeDue { get; set; }

    /// <summary>Marks a run of <paramref name="key"/> as queued; false when one already is.</summary>
    public bool TryMark(string key)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            if (marks.TryAdd(key, now))
            {
                return true;
            }

            if (marks.TryGetValue(key, out var since))
            {
                return now - since >= StaleAfter && marks.TryUpdate(key, now, since);
            }
        }
    }

    /// <summary>Marks a submission of the cashout as queued, and in flight until it ends; false when one already is queued.</summary>
    public bool TryMarkSubmission(long cashoutId)
    {
        if (!TryMark(SubmissionKey(cashoutId)))
        {
            return false;
        }

        submissions[cashoutId] = time.GetUtcNow();
        return true;
    }

    /// <summary>The cashouts whose submission in this process is queued or running (forgetting those lost long ago).</summary>
    public IReadOnlyCollection<long> SubmissionsInFlight()
    {
        var staleBefore = time.GetUtcNow() - SubmissionStaleAfter;
        foreach (var (cashoutId, since) in submissions)
        {
            if (since < staleBefore)
            {
                submissions.TryRemove(new KeyValuePair<long, DateTimeOffset>(cashoutId, since));
            }
        }

        return [.. submissions.Keys];
    }

    /// <summary>The cashout's submission has ended (it also ends, however it went, as its job is performed).</summary>
    public void SubmissionEnded(long cashoutId) => submissions.TryRemove(cashoutId, out _);

    public void Clear(string key) => marks.TryRemove(key, out _);

    /// <summary>The run holds its lock (this filter runs after DisableConcurrentExecution): the next trigger queues one more.</summary>
    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        if (job is null)
        {
            return;
        }

        if (IsSubmission(job, out var cashoutId))
        {
            Clear(SubmissionKey(cashoutId));
        }
        else if (SweepOf(job) is { } sweep)
        {
            Clear(sweep.Id);
            StopWaiting(sweep, context.BackgroundJob.Id);
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.BackgroundJob.Job is { } job && IsSubmission(job, out var cashoutId))
        {
            SubmissionEnded(cashoutId);
        }
    }

    private static bool IsSubmission(Job job, out long cashoutId)
    {
        cashoutId = job.Args.Count > 0 && job.Args[0] is long id ? id : 0;
        return job.Type == typeof(SubmitCashoutsJob) && job.Method.Name == nameof(SubmitCashoutsJob.SubmitOneAsync) && cashoutId != 0;
    }

    /// <summary>
    /// This run waits for the sweep's lock, unless another already does. One that has waited longer than a mark
    /// lives is taken for lost (its worker gone): this one waits instead.
    /// </summary>
    private bool TryStartWaiting(RecurringSweep sweep, string jobId)
    {
        var now = time.GetUtcNow();
        var waiting = waitingForLock.AddOrUpdate(sweep.Id, (jobId, now), (_, other) => other.JobId != jobId && now - other.Since >= StaleAfter ? (jobId, now) : other);
        return waiting.JobId == jobId;
    }

    private void StopWaiting(RecurringSweep sweep, string jobId)
    {
        if (waitingForLock.TryGetValue(sweep.Id, out var waiting) && waiting.JobId == jobId)
        {
            waitingForLock.TryRemove(new KeyValuePair<string, (string, DateTimeOffset)>(sweep.Id, waiting));
        }
    }

    private RecurringSweep? SweepOf(Job job) => Array.Find(sweeps, s => s.Job.Type == job.Type && s.Job.Method == job.Method);

    /// <summary>
    /// Runs before a sweep's DisableConcurrentExecution: a run of a sweep that another run already waits for (its lock
    /// held by a third) is dropped, Hangfire's way (deleted, "Canceled by filter"), as the waiting one reads the
    /// database later than anything that queued this one. Without it, a sweep that runs longer than its interval
    /// held one more worker in the wait every interval.
    /// </summary>
    public sealed class BeforeLock(QueuedRuns runs) : IServerFilter
    {
        public void OnPerforming(PerformingContext context)
        {
            if (context.BackgroundJob.Job is not { } job || runs.SweepOf(job) is not { } sweep)
            {
                return;
            }

            context.Canceled = !runs.TryStartWaiting(sweep, context.BackgroundJob.Id);
        }

        /// <summary>A run that failed before it held the lock (its wait timed out) no longer waits.</summary>
        public void OnPerformed(PerformedContext context)
        {
            if (context.BackgroundJob.Job is { } job && runs.SweepOf(job) is { } sweep)
            {
                runs.StopWaiting(sweep, context.BackgroundJob.Id);
            }
        }
    }
}
