using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.EntityFrameworkCore;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Jobs;

/// <summary>
/// Sends the due messages of the email outbox. At least once: a message is marked sent only after the SMTP
/// server accepted it, so a crash in between sends it again rather than never.
/// </summary>
public sealed class OutboxSenderJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    SmtpEmailSender sender,
    TimeProvider time,
    IOptions<EmailOptions> options,
    ILogger<OutboxSenderJob> logger)
{
    private const int BatchSize = 50;

    private const int MaxBatchesPerRun = 20;

    /// <summary>Sends batch after batch while they come full (a backlog drains in one run), up to a bound.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var (attempted, accepted) = await SendBatchAsync(cancellationToken);
            sent += accepted;
            if (attempted < BatchSize)
            {
                break;
            }
        }

        return $"{sent} sent";
    }

    /// <returns>How many messages were accepted by the SMTP server.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken) => (await SendBatchAsync(cancellationToken)).Accepted;

    private async Task<(int Attempted, int Accepted)> SendBatchAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.Id)
                .Select(m => m.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        // Several messages are on the wire at once: an SMTP exchange is mostly waiting, so one at a time caps a
        // backlog at a few dozen messages a second.
        var accepted = 0;
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.SendParallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await SendAsync(id, ct))
                {
                    Interlocked.Increment(ref accepted);
                }
            });

        return (due.Count, accepted);
    }

    /// <summary>Sends one message and records the outcome right away, so a crash repeats at most this one.</summary>
    private async Task<bool> SendAsync(long messageId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.OutboxMessages.SingleAsync(m => m.Id == messageId, cancellationToken);
        if (message.Status != OutboxStatus.Pending)
        {
            return false;
        }

        var sent = false;
        try
        {
            await sender.SendAsync(message.To, message.Subject, message.HtmlBody, message.TextBody, cancellationToken);
            message.MarkSent(time.GetUtcNow());
            sent = true;
        }
        catch (Exception ex) when (ex is System.Net.Mail.SmtpException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The exception text names the server and the SMTP reply, never credentials.
            message.MarkAttemptFailed(ex.Message, time.GetUtcNow(), options.Value.RetrySchedule);
            logger.LogWarning("Email {MessageId} ({Kind}) attempt {Attempt} failed: {Error}", message.Id, message.Kind, message.Attempts, ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        return sent;
    }
}
