using System.Diagnostics;
using System.Globalization;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// Emails per second through the outbox (<see cref="SendDueEmails"/>, the outbox sender job's work) to a real SMTP
/// server on loopback (Debian's aiosmtpd), for one connection and for four, beside the ceiling measured in the
/// same run: the same messages written by MailKit over one open connection with no database at all. Not
/// BenchmarkDotNet: one outbox run is seconds of network and fsync, so wall-clock rounds say more. Run with
/// <c>-- --outbox</c> (docs/performance.md).
/// </summary>
public static class OutboxThroughput
{
    private const int MessagesPerRound = 1000;
    private const int Rounds = 3;

    public static async Task RunAsync()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var rows = new List<(string What, List<double> PerSecond)>();
        foreach (var parallelism in new[] { 1, 4 })
        {
            await using var portal = await BenchmarkPortal.StartAsync(new Dictionary<string, string?>
            {
                ["Email:PickupDirectory"] = "",
                ["Email:SmtpHost"] = "127.0.0.1",
                ["Email:SmtpPort"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
                ["Email:SendParallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
            });
            var outbox = new List<double>();
            var ceiling = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                await EnqueueAsync(portal, round);
                outbox.Add(MessagesPerRound / await TimeAsync(() => DrainAsync(portal)));
                if (parallelism == 1)
                {
                    var sent = await LastRoundAsync(portal);
                    ceiling.Add(MessagesPerRound / await TimeAsync(() => SendWithoutOutboxAsync(portal, sent)));
                }
            }

            rows.Add(($"outbox, Email:SendParallelism={parallelism}", outbox));
            if (ceiling.Count > 0)
            {
                rows.Add(("ceiling: MailKit, one connection, no database", ceiling));
            }
        }

        // Every message must have arrived, once: a figure for messages that did not is worth nothing.
        var expected = MessagesPerRound * Rounds * 3;
        var received = smtp.Received().Count;
        if (received != expected)
        {
            throw new InvalidOperationException($"The SMTP server stored {received} messages, {expected} were sent.");
        }

        Console.WriteLine($"Emails through the outbox to aiosmtpd on loopback, {Rounds} rounds of {MessagesPerRound:N0} messages each:");
        Console.WriteLine("| What | Messages/s per round | Median |");
        Console.WriteLine("|---|---|---:|");
        foreach (var (what, perSecond) in rows)
        {
            var sorted = perSecond.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {what} | {string.Join(", ", perSecond.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))} | {sorted[sorted.Count / 2]:F0} |"));
        }
    }

    private static async Task EnqueueAsync(BenchmarkPortal portal, int round)
    {
        var outbox = portal.Get<EmailOutbox>();
        await using var db = portal.CreateDbContext();
        for (var i = 0; i < MessagesPerRound; i++)
        {
            outbox.Enqueue(db, $"merchant-{round}-{i}@cashout.test", EmailTemplates.ConfirmEmail($"http://127.0.0.1:5080/Account/ConfirmEmail?userId={round}-{i}&code=abc"));
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Runs the outbox sender until nothing is pending, as its job would on consecutive firings.</summary>
    private static async Task DrainAsync(BenchmarkPortal portal)
    {
        var send = portal.Get<SendDueEmails>();
        while (await PendingAsync(portal) > 0)
        {
            await send.HandleAsync();
        }
    }

    private static async Task<int> PendingAsync(BenchmarkPortal portal)
    {
        await using var db = portal.CreateDbContext();
        return await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending);
    }

    private static async Task<List<OutboxMessage>> LastRoundAsync(BenchmarkPortal portal)
    {
        await using var db = portal.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().OrderByDescending(m => m.Id).Take(MessagesPerRound).ToListAsync();
    }

    /// <summary>The ceiling: the last round's messages again, composed and sent over one connection, nothing recorded.</summary>
    private static async Task SendWithoutOutboxAsync(BenchmarkPortal portal, List<OutboxMessage> messages)
    {
        var transport = portal.Get<EmailTransport>();
        await using var connection = transport.Open();
        foreach (var message in messages)
        {
            await connection.SendAsync(transport.Compose(message.To, message.Subject, message.HtmlBody, message.TextBody), CancellationToken.None);
        }
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }
}
