using Cashout.Portal.Balances;
using Cashout.Portal.Providers;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Jobs;

// The pipeline's jobs, run by Hangfire. Each only triggers a use case that reads what to do from the database, so a
// job that runs twice, late or after a restart does the right thing. A sweep never overlaps itself; what it returns
// is shown on /admin/jobs and in Hangfire's dashboard. A job that throws is retried by Hangfire.

/// <summary>
/// Pending cashouts past the review window go to their provider (Pending -> Processing), each in a job of its own.
/// </summary>
public sealed class SubmitCashoutsJob(SubmitDueCashouts submit, PipelineTriggers triggers, QueuedRuns queued, RecurringSweeps sweeps, IOptions<JobsOptions> options)
{
    /// <summary>
    /// The sweep: a submission for every cashout that is due (a batch of them, besides those this process already
    /// has queued or running; the batch's submissions run the sweep again as they end while more are due), and one
    /// scheduled at the end of the review window of every cashout whose window ends before the next sweep, so even a
    /// long interval never delays one.
    /// </summary>
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> SweepAsync(CancellationToken cancellationToken)
    {
        var plan = await submit.PlanAsync(TimeSpan.FromSeconds(options.Value.Submit.IntervalSeconds), queued.SubmissionsInFlight(), cancellationToken);
        queued.SubmitSweepLeftSomeDue = plan.MoreDue;
        foreach (var cashoutId in plan.Due)
        {
            triggers.SubmitNow(cashoutId);
        }

        foreach (var (cashoutId, dueAt) in plan.Upcoming)
        {
            triggers.SubmitAt(cashoutId, dueAt);
        }

        return $"{plan.Due.Count} due{(plan.MoreDue ? " (more after these, as they end)" : "")}, {plan.Upcoming.Count} scheduled for their review window's end";
    }

    /// <summary>
    /// One cashout, as far as the database says it should go now. Never two at once for the same cashout (in this
    /// process, or across nodes on a shared storage): the second waits, then finds it done.
    /// </summary>
    [DisableConcurrentExecution("submit-cashout:{0}", 300)]
    [AutomaticRetry(Attempts = 5)]
    public async Task<string> SubmitOneAsync(long cashoutId, CancellationToken cancellationToken)
    {
        if (sweeps.IsPaused(RecurringSweeps.Submit))
        {
            return $"cashout {cashoutId}: left for when submit is resumed";
        }

        var outcome = await submit.SubmitAsync(cashoutId, cancellationToken);
        triggers.SubmissionEnded(cashoutId);
        return $"cashout {cashoutId}: {outcome switch
        {
            SubmitOutcome.Sent => "sent",
            SubmitOutcome.Rejected => "rejected",
            SubmitOutcome.Retrying => "provider unavailable, retrying",
            _ => "nothing due",
        }}";
    }
}

/// <summary>Processing cashouts whose webhook is late are polled at their provider.</summary>
public sealed class TrackPayoutsJob(TrackPayouts track)
{
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        $"{await track.HandleAsync(cancellationToken)} polled";
}

/// <summary>Pending funds whose settlement date has passed become available.</summary>
public sealed class SettleFundsJob(SettleDueFunds settle)
{
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        $"{await settle.HandleAsync(cancellationToken)} settled";
}
