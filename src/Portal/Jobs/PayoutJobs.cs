using Cashout.Portal.Balances;
using Cashout.Portal.Providers;
using Quartz;

namespace Cashout.Portal.Jobs;

// The pipeline's recurring jobs. Each only triggers a use case that reads what to do from the database, so a job
// that runs twice, late or after a restart does the right thing; the result is shown on /admin/jobs.

/// <summary>Pending cashouts past the review window go to their provider (Pending -> Processing).</summary>
[DisallowConcurrentExecution]
public sealed class SubmitCashoutsJob(SubmitDueCashouts submit) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var run = await submit.HandleAsync(context.CancellationToken);
        context.Result = $"{run.MovedToProcessing} to processing, {run.Sent} sent, {run.Failed} rejected, {run.Retrying} retrying";
    }
}

/// <summary>Processing cashouts whose webhook is late are polled at their provider.</summary>
[DisallowConcurrentExecution]
public sealed class TrackPayoutsJob(TrackPayouts track) : IJob
{
    public async Task Execute(IJobExecutionContext context) =>
        context.Result = $"{await track.HandleAsync(context.CancellationToken)} polled";
}

/// <summary>Pending funds whose settlement date has passed become available.</summary>
[DisallowConcurrentExecution]
public sealed class SettleFundsJob(SettleDueFunds settle) : IJob
{
    public async Task Execute(IJobExecutionContext context) =>
        context.Result = $"{await settle.HandleAsync(context.CancellationToken)} settled";
}
