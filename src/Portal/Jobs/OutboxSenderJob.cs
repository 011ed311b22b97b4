using Cashout.Portal.Email;
using Quartz;

namespace Cashout.Portal.Jobs;

/// <summary>Sends the due messages of the email outbox (<see cref="SendDueEmails"/>), retrying with backoff.</summary>
[DisallowConcurrentExecution]
public sealed class OutboxSenderJob(SendDueEmails send) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var run = await send.HandleAsync(context.CancellationToken);
        context.Result = $"{run.Sent} sent, {run.Failed} failed attempts";
    }
}
