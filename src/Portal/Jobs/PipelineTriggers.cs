using System.Collections.Concurrent;
using Cashout.Portal.Providers;
using Hangfire;
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
            else if (queued.TryMark(QueuedRuns.SubmissionKey(cashoutId)))
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
/// Coalesces triggers in this process: while a run of a sweep (or of one cashout's submission) is queued and has
/// not started, another trigger adds nothing, because that run reads the database after the commit that fired it.
/// As a run starts (a Hangfire server filter) its mark is cleared, so a commit from then on queues one more. A mark
/// older than <see cref="StaleAfter"/> is ignored, in case its job was deleted before it ran.
/// </summary>
public sealed class QueuedRuns(IEnumerable<RecurringSweep> sweeps, TimeProvider time) : IServerFilter
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    private readonly RecurringSweep[] sweeps = [.. sweeps];
    private readonly ConcurrentDictionary<string, DateTimeOffset> marks = new();

    public static string SubmissionKey(long cashoutId) => $"submit:{cashoutId}";

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

    public void Clear(string key) => marks.TryRemove(key, out _);

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        if (job is null)
        {
            return;
        }

        if (job.Type == typeof(SubmitCashoutsJob) && job.Method.Name == nameof(SubmitCashoutsJob.SubmitOneAsync) && job.Args[0] is long cashoutId)
        {
            Clear(SubmissionKey(cashoutId));
        }
        else if (Array.Find(sweeps, s => s.Job.Type == job.Type && s.Job.Method == job.Method) is { } sweep)
        {
            Clear(sweep.Id);
        }
    }

    public void OnPerformed(PerformedContext context)
    {
    }
}
