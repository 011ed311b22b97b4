using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Jobs;

/// <summary>The Quartz scheduler runs inside the app and its jobs get their services from a DI scope per firing.</summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private SmtpServer smtp = null!;

    public async Task InitializeAsync() => smtp = await SmtpServer.StartAsync();

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    [Fact]
    public async Task Outbox_sender_job_delivers_queued_email_by_itself_when_the_scheduler_runs()
    {
        await using var portal = new PortalFactory().WithSmtp(smtp.Port).WithSetting("Jobs:Enabled", "true").WithSetting("Jobs:OutboxSender:IntervalSeconds", "1");
        await portal.WithScopeAsync(async services =>
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            services.GetRequiredService<EmailOutbox>().Enqueue(db, "merchant@cashout.test", EmailTemplates.PasswordResetCode("424242"));
            await db.SaveChangesAsync();
        });

        var received = Assert.Single(await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(20)));
        Assert.Contains("424242", received.Text, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => portal.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Sent)), "the message is marked sent");
    }

    [Fact]
    public void App_refuses_to_start_with_a_clear_message_when_a_job_interval_is_invalid()
    {
        using var portal = new PortalFactory().WithSetting("Jobs:OutboxSender:IntervalSeconds", "0");

        var error = Assert.Throws<OptionsValidationException>(() => portal.Services);

        Assert.Contains("Jobs:OutboxSender:IntervalSeconds must be between 1 and 86400", error.Message, StringComparison.Ordinal);
    }
}
