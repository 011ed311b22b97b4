using Cashout.Portal.Email;
using Hangfire;

namespace Cashout.Portal.Jobs;

/// <summary>Sends the due messages of the email outbox (<see cref="SendDueEmails"/>: MailKit, a connection per batch), retrying with backoff.</summary>
public sealed class OutboxSenderJob(SendDueEmails send)
{
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var run = await send.HandleAsync(cancellationToken);
        return $"{run.Sent} sent, {run.Failed} failed attempts";
    }
}
