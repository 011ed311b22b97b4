using System.Net;
using System.Net.Sockets;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Email;

/// <summary>
/// How the outbox sender uses SMTP connections, against Debian's aiosmtpd: a batch over one connection (counted by a
/// relay in front of the server), several for a backlog, a broken connection or a server outage mid-way, and each
/// message delivered exactly once in the end.
/// </summary>
public sealed class OutboxConnectionTests : IAsyncLifetime
{
    private SmtpServer smtp = null!;
    private SmtpProxy proxy = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpServer.StartAsync();
        proxy = SmtpProxy.Start(smtp.Port);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Theory]
    [InlineData(1, 25, 1)] // a batch goes over one connection: connect and log in once, send every message, QUIT
    [InlineData(4, 5, 1)] // a small batch is not worth a second connection
    [InlineData(3, 90, 3)] // a backlog: Email:SendParallelism connections, each with its own share
    public async Task Does_send_a_batch_over_the_connections_it_is_worth_each_message_once(int parallelism, int messages, int connections)
    {
        await using var portal = new PortalFactory().WithSmtp(proxy.Port)
            .WithSetting("Email:SendParallelism", parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var recipients = OutboxExtensions.Recipients(messages);
        await portal.EnqueueEmailsAsync(recipients);

        Assert.Equal(new OutboxRun(messages, 0), await portal.SendDueEmailsAsync());

        Assert.Equal(connections, proxy.Connections);
        Assert.Equal(recipients.Order(), smtp.Received().Select(m => m.To).Order());
    }

    [Fact]
    public async Task Does_drain_a_backlog_of_several_batches_in_one_run_each_connection_going_on_with_claims_of_its_own()
    {
        await using var portal = new PortalFactory().WithSmtp(proxy.Port).WithSetting("Email:SendParallelism", "2");
        var recipients = OutboxExtensions.Recipients((2 * SendDueEmails.BatchSize) + 50);
        await portal.EnqueueEmailsAsync(recipients);

        Assert.Equal(new OutboxRun(recipients.Length, 0), await portal.SendDueEmailsAsync());

        // Two connections for the whole backlog: each takes its next claim as it finishes one, on the connection it
        // has open (a batch that waited for its slowest share, and a connection for each share, used six here).
        Assert.Equal(2, proxy.Connections);
        Assert.Equal(recipients.Order(), smtp.Received().Select(m => m.To).Order());
        var messages = await portal.WithDbAsync(db => db.OutboxMessages.Select(m => new { m.Status, m.Attempts }).ToListAsync());
        Assert.All(messages, m => Assert.Equal((OutboxStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task Does_not_send_a_sent_message_again_when_the_job_runs_again()
    {
        await using var portal = new PortalFactory().WithSmtp(proxy.Port);
        var recipients = OutboxExtensions.Recipients(3);
        await portal.EnqueueEmailsAsync(recipients);
        Assert.Equal(new OutboxRun(3, 0), await portal.SendDueEmailsAsync());

        portal.Clock.Advance(TimeSpan.FromDays(1)); // past any backoff
        Assert.Equal(new OutboxRun(0, 0), await portal.SendDueEmailsAsync());
        Assert.Equal(new OutboxRun(0, 0), await portal.SendDueEmailsAsync());

        Assert.Equal(recipients.Order(), smtp.Received().Select(m => m.To).Order());
        Assert.Equal(1, proxy.Connections); // a run with nothing due does not even connect
        var messages = await portal.WithDbAsync(db => db.OutboxMessages.Select(m => new { m.Status, m.Attempts }).ToListAsync());
        Assert.All(messages, m => Assert.Equal((OutboxStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task Does_reconnect_and_go_on_when_the_connection_breaks_mid_batch()
    {
        await using var portal = new PortalFactory().WithSmtp(proxy.Port).WithSetting("Email:SendParallelism", "1");
        var recipients = OutboxExtensions.Recipients(6);
        await portal.EnqueueEmailsAsync(recipients);
        proxy.BreakConnectionAtDataCommand(3);

        Assert.Equal(new OutboxRun(5, 1), await portal.SendDueEmailsAsync());

        Assert.Equal(2, proxy.Connections);
        Assert.Equal(recipients.Except(["merchant-3@cashout.test"]).Order(), smtp.Received().Select(m => m.To).Order());
        var broken = await portal.WithDbAsync(db => db.OutboxMessages.SingleAsync(m => m.To == "merchant-3@cashout.test"));
        Assert.Equal((OutboxStatus.Pending, 1), (broken.Status, broken.Attempts));
        Assert.NotNull(broken.LastError);
        Assert.True(broken.NextAttemptAt > portal.Clock.GetUtcNow(), "the broken message waits for its backoff");

        portal.Clock.Advance(TimeSpan.FromSeconds(30)); // Email:RetryBaseDelaySeconds
        Assert.Equal(new OutboxRun(1, 0), await portal.SendDueEmailsAsync());

        Assert.Equal(recipients.Order(), smtp.Received().Select(m => m.To).Order());
        Assert.True(await portal.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Sent)));
    }

    [Fact]
    public async Task Does_keep_messages_queued_with_an_attempt_when_the_server_is_down_and_send_each_once_when_it_is_back()
    {
        var port = PortalProcess.FreePort(); // nothing listens there yet
        await using var portal = new PortalFactory().WithSmtp(port);
        var recipients = OutboxExtensions.Recipients(12);
        await portal.EnqueueEmailsAsync(recipients);

        Assert.Equal(new OutboxRun(0, 12), await portal.SendDueEmailsAsync());

        var queued = await portal.WithDbAsync(db => db.OutboxMessages.ToListAsync());
        Assert.All(queued, m =>
        {
            Assert.Equal((OutboxStatus.Pending, 1), (m.Status, m.Attempts));
            Assert.Contains($"127.0.0.1:{port}", m.LastError, StringComparison.Ordinal);
            Assert.True(m.NextAttemptAt > portal.Clock.GetUtcNow(), "each waits for its backoff");
        });

        await using var restarted = await SmtpServer.StartAsync(port);
        Assert.Equal(new OutboxRun(0, 0), await portal.SendDueEmailsAsync()); // back, but nothing is due yet
        portal.Clock.Advance(TimeSpan.FromSeconds(30)); // Email:RetryBaseDelaySeconds
        Assert.Equal(new OutboxRun(12, 0), await portal.SendDueEmailsAsync());
        portal.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new OutboxRun(0, 0), await portal.SendDueEmailsAsync());

        Assert.Equal(recipients.Order(), restarted.Received().Select(m => m.To).Order());
        var sent = await portal.WithDbAsync(db => db.OutboxMessages.Select(m => new { m.Status, m.Attempts }).ToListAsync());
        Assert.All(sent, m => Assert.Equal((OutboxStatus.Sent, 2), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task Does_end_the_run_after_the_first_batch_when_the_server_is_down()
    {
        await using var portal = new PortalFactory().WithSmtp(PortalProcess.FreePort()); // nothing listens there
        await portal.EnqueueEmailsAsync(OutboxExtensions.Recipients(SendDueEmails.BatchSize + 10));

        Assert.Equal(new OutboxRun(0, SendDueEmails.BatchSize), await portal.SendDueEmailsAsync());

        var attempts = await portal.WithDbAsync(db => db.OutboxMessages.GroupBy(m => m.Attempts).Select(g => new { Attempts = g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal([(0, 10), (1, SendDueEmails.BatchSize)], attempts.Select(a => (a.Attempts, a.Count)).Order());
    }

    [Fact]
    public async Task Does_record_a_failed_attempt_when_the_server_never_answers_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts connections, never greets
        silent.Start();
        await using var portal = new PortalFactory().WithSmtp(((IPEndPoint)silent.LocalEndpoint).Port).WithSetting("Email:SmtpTimeoutSeconds", "1");
        await portal.EnqueueEmailsAsync("merchant@cashout.test");

        // A deadline well past the one-second timeout: the run must end by itself, not hang on the silent server.
        Assert.Equal(new OutboxRun(0, 1), await portal.SendDueEmailsAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        var message = await portal.WithDbAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Equal((OutboxStatus.Pending, 1), (message.Status, message.Attempts));
    }

    [Fact]
    public async Task Does_not_send_in_clear_when_ssl_is_on_and_the_server_offers_no_starttls()
    {
        await using var portal = new PortalFactory().WithSmtp(proxy.Port).WithSetting("Email:SmtpEnableSsl", "true");
        await portal.EnqueueEmailsAsync("merchant@cashout.test");

        Assert.Equal(new OutboxRun(0, 1), await portal.SendDueEmailsAsync());

        var message = await portal.WithDbAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Equal((OutboxStatus.Pending, 1), (message.Status, message.Attempts));
        Assert.Contains("STARTTLS", message.LastError, StringComparison.Ordinal);
        Assert.Empty(smtp.Received());
    }

    [Fact]
    public async Task Does_keep_the_password_out_of_the_recorded_error_when_the_login_fails()
    {
        const string password = "never-in-a-log-7Qx";
        await using var portal = new PortalFactory().WithSmtp(proxy.Port)
            .WithSetting("Email:SmtpUserName", "portal").WithSetting("Email:SmtpPassword", password);
        await portal.EnqueueEmailsAsync("merchant@cashout.test");

        Assert.Equal(new OutboxRun(0, 1), await portal.SendDueEmailsAsync());

        var message = await portal.WithDbAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Contains("authentication", message.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(password, message.LastError, StringComparison.Ordinal);
        Assert.Empty(smtp.Received());
    }
}
