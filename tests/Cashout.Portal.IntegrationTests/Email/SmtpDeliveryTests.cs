using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Email;

/// <summary>The portal's email goes over real SMTP to Debian's aiosmtpd and is read back from its mailbox.</summary>
public sealed class SmtpDeliveryTests : IAsyncLifetime
{
    private SmtpServer smtp = null!;

    public async Task InitializeAsync() => smtp = await SmtpServer.StartAsync();

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    [Fact]
    public async Task Smtp_sender_delivers_text_and_html_when_the_server_accepts()
    {
        var transport = new EmailTransport(Options.Create(new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = smtp.Port }), TimeProvider.System);
        var content = EmailTemplates.ConfirmEmail("http://127.0.0.1:5080/Account/ConfirmEmail?userId=u1&code=abc");

        await using (var connection = transport.Open())
        {
            await connection.SendAsync(transport.Compose("merchant@cashout.test", content.Subject, content.HtmlBody, content.TextBody), CancellationToken.None);
        }

        var received = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Contains("merchant@cashout.test", received.To);
        Assert.Contains("no-reply@cashout.test", received.From);
        Assert.Equal("Confirm your email for Cashout Portal", received.Subject);
        Assert.Contains("Confirm email: http://127.0.0.1:5080/Account/ConfirmEmail?userId=u1&code=abc", received.Text);
        Assert.Contains("href=\"http://127.0.0.1:5080/Account/ConfirmEmail?userId=u1&amp;code=abc\"", received.Html);
    }

    [Fact]
    public async Task Outbox_sender_job_sends_due_messages_once_and_marks_them_sent()
    {
        await using var portal = new PortalFactory().WithSmtp(smtp.Port);
        await portal.WithScopeAsync(async services =>
        {
            var outbox = services.GetRequiredService<EmailOutbox>();
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            outbox.Enqueue(db, "first@cashout.test", EmailTemplates.PasswordResetCode("111111"));
            outbox.Enqueue(db, "second@cashout.test", EmailTemplates.PasswordResetCode("222222"));
            await db.SaveChangesAsync();
        });

        Assert.Equal(2, (await portal.SendDueEmailsAsync()).Sent);
        Assert.Equal(0, (await portal.SendDueEmailsAsync()).Sent);

        var received = await smtp.WaitForMessagesAsync(2);
        Assert.Equal(["first@cashout.test", "second@cashout.test"], received.Select(m => m.To).Order());
        Assert.Contains(received, m => m.Text.Contains("Your password reset code is 222222.", StringComparison.Ordinal));
        var statuses = await portal.WithDbAsync(db => db.OutboxMessages.Select(m => new { m.Status, m.Attempts, m.SentAt }).ToListAsync());
        Assert.All(statuses, s => Assert.Equal((OutboxStatus.Sent, 1), (s.Status, s.Attempts)));
        Assert.All(statuses, s => Assert.NotNull(s.SentAt));
    }

    [Fact]
    public async Task Runs_side_by_side_send_each_message_once_because_each_claims_its_messages_first()
    {
        // Two nodes' senders, or a run that outlived its job lock beside the next one: both find the same backlog due.
        await using var portal = new PortalFactory().WithSmtp(smtp.Port);
        var recipients = OutboxExtensions.Recipients(300, "side-by-side");
        await portal.WithScopeAsync(async services =>
        {
            var outbox = services.GetRequiredService<EmailOutbox>();
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            foreach (var recipient in recipients)
            {
                outbox.Enqueue(db, recipient, EmailTemplates.PasswordResetCode("333333"));
            }

            await db.SaveChangesAsync();
        });

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => portal.SendDueEmailsAsync())));

        Assert.Equal(recipients.Length, runs.Sum(r => r.Sent));
        var received = await smtp.WaitForMessagesAsync(recipients.Length);
        Assert.Equal(recipients.Order(), received.Select(m => m.To).Order());
        Assert.All(await portal.WithDbAsync(db => db.OutboxMessages.Select(m => new { m.Status, m.Attempts }).ToListAsync()),
            m => Assert.Equal((OutboxStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task Outbox_sender_job_retries_with_backoff_when_the_server_is_down()
    {
        var downPort = smtp.Port;
        await smtp.DisposeAsync();
        smtp = await SmtpServer.StartAsync();

        await using var portal = new PortalFactory().WithSmtp(downPort);
        await portal.WithScopeAsync(async services =>
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            services.GetRequiredService<EmailOutbox>().Enqueue(db, "merchant@cashout.test", EmailTemplates.PasswordResetCode("333333"));
            await db.SaveChangesAsync();
        });

        Assert.Equal(0, (await portal.SendDueEmailsAsync()).Sent);

        var message = await portal.WithDbAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Equal(OutboxStatus.Pending, message.Status);
        Assert.Equal(1, message.Attempts);
        Assert.NotNull(message.LastError);
        Assert.True(message.NextAttemptAt > message.CreatedAt, "the next attempt waits for the backoff");
        Assert.Equal(new OutboxRun(0, 0), await portal.SendDueEmailsAsync()); // not due yet: no second attempt
        Assert.Equal(1, await portal.WithDbAsync(db => db.OutboxMessages.Select(m => m.Attempts).SingleAsync()));
    }

    [Fact]
    public async Task Does_write_an_eml_file_with_text_and_html_when_a_pickup_directory_is_set()
    {
        await using var portal = new PortalFactory();
        await portal.EnqueueEmailsAsync("merchant@cashout.test");

        Assert.Equal(new OutboxRun(1, 0), await portal.SendDueEmailsAsync());

        var file = Assert.Single(Directory.GetFiles(Path.Combine(portal.DataDirectory, "mail")));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var written = ReceivedEmail.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal("merchant@cashout.test", written.To);
        Assert.Contains("Your password reset code is 100000.", written.Text, StringComparison.Ordinal);
        Assert.Contains("Your password reset code is 100000.", written.Html, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, await portal.WithDbAsync(db => db.OutboxMessages.Select(m => m.Status).SingleAsync()));
    }
}
