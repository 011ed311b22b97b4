using System.Diagnostics;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// The SMTP server's own ceiling, for the figures that end at it: the given messages composed as the portal composes
/// them and sent by MailKit over <c>connections</c> connections at once (the outbox's Email:SendParallelism) to a
/// fresh aiosmtpd of the same kind as the benchmark's, with no database and no portal: how many emails per second the
/// server itself accepts on this machine, in the same run.
/// </summary>
public static class SmtpCeiling
{
    public static async Task<double> EmailsPerSecondAsync(IReadOnlyList<OutboxMessage> messages, int connections)
    {
        await using var smtp = await SmtpServer.StartAsync();
        var transport = new EmailTransport(Options.Create(new EmailOptions { PickupDirectory = "", SmtpPort = smtp.Port }), TimeProvider.System);
        var composed = messages.Select(m => transport.Compose(m.To, m.Subject, m.HtmlBody, m.TextBody)).ToList();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(composed.Chunk((composed.Count + connections - 1) / connections).Select(async share =>
        {
            await using var connection = transport.Open();
            foreach (var message in share)
            {
                await connection.SendAsync(message, CancellationToken.None);
            }
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        if (smtp.StoredCount() != composed.Count)
        {
            throw new InvalidOperationException($"The SMTP server stored {smtp.StoredCount()} of the {composed.Count} messages sent for its ceiling.");
        }

        return composed.Count / seconds;
    }
}
