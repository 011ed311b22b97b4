using Cashout.Portal.Admin.Jobs;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Jobs;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Jobs;

/// <summary>
/// Hangfire runs inside the app: the recurring sweeps on their schedule, the outbox sender right after an email is
/// committed, pause and resume from /admin/jobs, and a failing job's error where admins look.
/// </summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private SmtpServer smtp = null!;

    public async Task InitializeAsync() => smtp = await SmtpServer.StartAsync();

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    /// <summary>The app with Hangfire's server on, every sweep every hour unless <paramref name="outboxInterval"/> says otherwise.</summary>
    private PortalFactory PortalWithJobs(string outboxInterval = "3600") => new PortalFactory().WithSmtp(smtp.Port)
        .WithSetting("Jobs:Enabled", "true")
        .WithSetting("Jobs:OutboxSender:IntervalSeconds", outboxInterval)
        .WithSetting("Jobs:Submit:IntervalSeconds", "3600")
        .WithSetting("Jobs:Track:IntervalSeconds", "3600")
        .WithSetting("Jobs:Settle:IntervalSeconds", "3600")
        .WithSetting("Jobs:WebhookDelivery:IntervalSeconds", "3600");

    [Fact]
    public async Task Outbox_sender_sends_an_email_right_after_it_is_queued_when_its_interval_is_an_hour()
    {
        await using var portal = PortalWithJobs();
        await WaitForStartRunAsync(portal, RecurringSweeps.OutboxSender);

        await QueueEmailAsync(portal, "424242");

        await WaitForEmailAsync("424242");
        await Eventually.TrueAsync(() => portal.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Sent)), "every message is marked sent");
    }

    [Fact]
    public async Task Enqueues_and_runs_a_job_when_another_host_in_the_process_started_later_and_stopped()
    {
        // Hangfire's log provider is process-wide. It used to keep the logger factory of the host that started last,
        // disposed with it, and this host's Hangfire client, made on first use, threw ObjectDisposedException
        // (the duplicate-submission test failed so in CI while other tests' hosts came and went).
        await using var portal = PortalWithJobs();
        await WaitForStartRunAsync(portal, RecurringSweeps.OutboxSender);
        await using (var later = PortalWithJobs())
        {
            await WaitForStartRunAsync(later, RecurringSweeps.OutboxSender);
        }

        var job = portal.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SettleFundsJob>(settle => settle.RunAsync(CancellationToken.None));

        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(() => Task.FromResult(monitoring.JobDetails(job).History.FirstOrDefault()?.StateName == SucceededState.StateName),
            "the enqueued job has succeeded");
    }

    [Fact]
    public async Task Outbox_sweep_sends_an_email_queued_behind_the_apps_back_on_its_schedule()
    {
        await using var portal = PortalWithJobs(outboxInterval: "1");
        await WaitForStartRunAsync(portal, RecurringSweeps.OutboxSender);

        // Another writer (no after-commit trigger in this process): only the recurring sweep can find it.
        await using (var db = portal.Database.CreateBareContext())
        {
            db.OutboxMessages.Add(OutboxMessage.Create(EmailTemplates.PasswordResetCode("515151"), "merchant@cashout.test", portal.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        await WaitForEmailAsync("515151");
    }

    [Fact]
    public async Task A_run_waiting_for_the_sweeps_lock_takes_every_commit_meanwhile_so_they_queue_no_more_runs()
    {
        await using var portal = PortalWithJobs();
        var monitoring = await OutboxIdleAfterStartAsync(portal);

        // As a long run would: the sweep's lock (DisableConcurrentExecution's resource) held elsewhere.
        using (HoldOutboxSweepLock(portal))
        {
            await QueueEmailAsync(portal, "700000");
            await Eventually.TrueAsync(() => Task.FromResult(monitoring.ProcessingJobs(0, 100).Any(j => j.Value.Job?.Type == typeof(OutboxSenderJob))),
                "the triggered run has started and waits for the lock");

            for (var code = 700001; code <= 700010; code++)
            {
                await QueueEmailAsync(portal, code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            // The waiting run has not read the outbox yet, so it will send these too: nothing more was queued, and no
            // second worker blocks on the lock.
            var runs = string.Join(", ", monitoring.ProcessingJobs(0, 100).Select(j => $"{j.Key} {j.Value.Job?.Type.Name} processing")
                .Concat(monitoring.EnqueuedJobs(RecurringSweep.Queue, 0, 100).Select(j => $"{j.Key} {j.Value.Job?.Type.Name} enqueued")));
            Assert.True(OutboxRunsQueuedOrRunning(monitoring) == 1, $"one run of the outbox sender, not: {runs}");
        }

        await WaitForEmailAsync("700010");
        await Eventually.TrueAsync(() => portal.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Sent)), "every message is marked sent");
    }

    [Fact]
    public async Task Runs_of_a_sweep_added_while_one_waits_for_its_lock_are_dropped_rather_than_holding_workers()
    {
        await using var portal = PortalWithJobs();
        var monitoring = await OutboxIdleAfterStartAsync(portal);
        var sweeps = portal.Services.GetRequiredService<RecurringSweeps>();
        var outbox = sweeps.Find(RecurringSweeps.OutboxSender)!;

        string waiting;
        using (HoldOutboxSweepLock(portal))
        {
            // As a sweep that runs longer than its interval: its schedule (or an admin's "run now") adds runs meanwhile.
            waiting = sweeps.RunNow(outbox);
            await Eventually.TrueAsync(() => Task.FromResult(StateOf(monitoring, waiting) == ProcessingState.StateName), "the first run has started and waits for the lock");
            var added = Enumerable.Range(0, 3).Select(_ => sweeps.RunNow(outbox)).ToList();

            await Eventually.TrueAsync(() => Task.FromResult(added.All(id => StateOf(monitoring, id) == DeletedState.StateName)),
                "the runs added meanwhile were dropped", state: () => string.Join(", ", added.Select(id => $"{id} {StateOf(monitoring, id)}")));
            Assert.Equal(1, monitoring.ProcessingJobs(0, 100).Count(j => j.Value.Job?.Type == typeof(OutboxSenderJob)));
        }

        // The one that waited runs once the lock is free, and the sweep keeps running on later triggers.
        await Eventually.TrueAsync(() => Task.FromResult(StateOf(monitoring, waiting) == SucceededState.StateName), "the waiting run has run");
        await QueueEmailAsync(portal, "710000");
        await WaitForEmailAsync("710000");
    }

    /// <summary>Waits for the outbox sender's run at the app's start to end, so the test's own runs are the only ones.</summary>
    private static async Task<IMonitoringApi> OutboxIdleAfterStartAsync(PortalFactory portal)
    {
        await WaitForStartRunAsync(portal, RecurringSweeps.OutboxSender);
        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(() => Task.FromResult(OutboxRunsQueuedOrRunning(monitoring) == 0), "the outbox sender's start run has ended");
        return monitoring;
    }

    /// <summary>The outbox sweep's lock (DisableConcurrentExecution's resource), held until disposed, as a long run would hold it.</summary>
    private static IDisposable HoldOutboxSweepLock(PortalFactory portal)
    {
        var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
        return new HeldLock(connection, connection.AcquireDistributedLock($"{nameof(OutboxSenderJob)}.{nameof(OutboxSenderJob.RunAsync)}", TimeSpan.FromSeconds(5)));
    }

    private sealed class HeldLock(IStorageConnection connection, IDisposable handle) : IDisposable
    {
        public void Dispose()
        {
            handle.Dispose();
            connection.Dispose();
        }
    }

    private static string? StateOf(Hangfire.Storage.IMonitoringApi monitoring, string jobId) => monitoring.JobDetails(jobId)?.History.FirstOrDefault()?.StateName;

    [Fact]
    public async Task Paused_outbox_sender_sends_nothing_until_it_is_resumed()
    {
        await using var portal = PortalWithJobs();
        await WaitForStartRunAsync(portal, RecurringSweeps.OutboxSender);
        var admin = Caller.Admin("admin-id");
        AssertSucceeded(await portal.UseAsync<ControlJob, CommandResult>(c => c.HandleAsync(admin, RecurringSweeps.OutboxSender, JobAction.Pause)));
        Assert.Equal(JobState.Paused, (await RowAsync(portal, RecurringSweeps.OutboxSender)).State);

        // The start run's job may still be closing (its run is logged before Hangfire marks it succeeded); the
        // other sweeps' start runs may be going on too, and are not what this test is about.
        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(() => Task.FromResult(OutboxRunsQueuedOrRunning(monitoring) == 0), "the outbox sender's start run has ended");

        await QueueEmailAsync(portal, "616161");

        // The trigger runs in the commit: had it enqueued a run, it would be in Hangfire's queue now.
        Assert.Equal(0, OutboxRunsQueuedOrRunning(monitoring));
        Assert.Null((await RowAsync(portal, RecurringSweeps.OutboxSender)).NextFireAt);

        AssertSucceeded(await portal.UseAsync<ControlJob, CommandResult>(c => c.HandleAsync(admin, RecurringSweeps.OutboxSender, JobAction.Resume)));
        await WaitForEmailAsync("616161");
        // The email arrives while the run that sent it is still closing its connection: then it is scheduled again.
        await Eventually.TrueAsync(
            async () => (await RowAsync(portal, RecurringSweeps.OutboxSender)).State == JobState.Scheduled,
            "the resumed outbox sender is scheduled again");
    }

    [Fact]
    public async Task Failing_job_shows_its_error_on_the_jobs_page_and_is_retried_by_Hangfire()
    {
        await using var portal = PortalWithJobs();
        await WaitForStartRunAsync(portal, "settle");
        await using (var db = portal.Database.CreateBareContext())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"PendingFundings\" RENAME TO \"PendingFundingsGone\"");
        }

        AssertSucceeded(await portal.UseAsync<ControlJob, CommandResult>(c => c.HandleAsync(Caller.Admin("admin-id"), "settle", JobAction.TriggerNow)));

        await Eventually.TrueAsync(async () => (await RowAsync(portal, "settle")).LastFailure is not null, "the settle job's failure is on the jobs page");
        var row = await RowAsync(portal, "settle");
        Assert.Contains("PendingFundings", row.LastFailure!.Error, StringComparison.Ordinal); // "no such table" or "relation ... does not exist"
        Assert.Equal(row.LastFailure, row.LastRun);
        // Hangfire's retry of the failed run waits in its schedule (and shows in its dashboard).
        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(() => Task.FromResult(monitoring.ScheduledCount() > 0), "Hangfire has scheduled a retry");
    }

    [Fact]
    public async Task Nothing_is_processed_or_enqueued_when_jobs_are_disabled()
    {
        await using var portal = new PortalFactory().WithSmtp(smtp.Port); // Jobs:Enabled is false in tests

        await QueueEmailAsync(portal, "717171");

        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Empty(monitoring.Servers());
        Assert.Equal(0, monitoring.EnqueuedCount(RecurringSweep.Queue) + monitoring.EnqueuedCount("default") + monitoring.ScheduledCount());
        Assert.All(await portal.UseAsync<ListJobs, IReadOnlyList<JobRow>?>(l => l.HandleAsync(Caller.Admin("admin-id"))) ?? [], row => Assert.Equal(JobState.Stopped, row.State));
    }

    [Fact]
    public async Task App_refuses_to_start_with_a_clear_message_when_a_job_interval_is_invalid()
    {
        await using var portal = new PortalFactory().WithSetting("Jobs:OutboxSender:IntervalSeconds", "0");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(portal.StartDirectlyAsync);

        Assert.Contains("Jobs:OutboxSender:IntervalSeconds must be between 1 and 86400", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The app runs every sweep once as it starts; a test that must tell a trigger from that run waits for it first.
    /// The deadline is generous: under CI's load this once took over 20 s, and the timeout says what Hangfire was doing.
    /// </summary>
    private static Task WaitForStartRunAsync(PortalFactory portal, string job) =>
        Eventually.TrueAsync(async () => (await RowAsync(portal, job)).LastRun is not null, $"the {job} job has run once after the start", TimeSpan.FromSeconds(60),
            () => HangfireState(portal, job));

    /// <summary>What Hangfire's storage says about its servers, its queues and the sweep's recurring job.</summary>
    private static string HangfireState(PortalFactory portal, string job)
    {
        var storage = portal.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        using var connection = storage.GetConnection();
        var recurring = connection.GetRecurringJobs([job]).SingleOrDefault();
        var servers = string.Join(", ", monitoring.Servers().Select(s => $"{s.Name} ({s.WorkersCount} workers, heartbeat {s.Heartbeat:O})"));
        var processing = string.Join(", ", monitoring.ProcessingJobs(0, 100).Select(j => $"{j.Key} {j.Value.Job?.Type.Name} since {j.Value.StartedAt:O}"));
        return $"servers: [{servers}]; enqueued sweeps {monitoring.EnqueuedCount(RecurringSweep.Queue)}, default {monitoring.EnqueuedCount("default")}; "
            + $"processing: [{processing}]; scheduled {monitoring.ScheduledCount()}, failed {monitoring.FailedCount()}; "
            + $"{job}: last job {recurring?.LastJobId} {recurring?.LastJobState}, last execution {recurring?.LastExecution:O}, error {recurring?.Error}; now {DateTime.UtcNow:O}";
    }

    private static async Task<JobRow> RowAsync(PortalFactory portal, string job) =>
        (await portal.UseAsync<ListJobs, IReadOnlyList<JobRow>?>(l => l.HandleAsync(Caller.Admin("admin-id"))))!.Single(r => r.Name == job);

    private static Task QueueEmailAsync(PortalFactory portal, string code) => portal.WithScopeAsync(async services =>
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        services.GetRequiredService<EmailOutbox>().Enqueue(db, "merchant@cashout.test", EmailTemplates.PasswordResetCode(code));
        await db.SaveChangesAsync();
    });

    private Task WaitForEmailAsync(string code) => Eventually.TrueAsync(
        async () => (await smtp.WaitForMessagesAsync(0)).Any(m => m.Text.Contains(code, StringComparison.Ordinal)),
        $"the SMTP server received the email with {code}", TimeSpan.FromSeconds(20));

    /// <summary>Runs of the outbox sender waiting in the sweeps' queue or being processed.</summary>
    private static int OutboxRunsQueuedOrRunning(Hangfire.Storage.IMonitoringApi monitoring) =>
        monitoring.EnqueuedJobs(RecurringSweep.Queue, 0, 1_000).Count(j => j.Value.Job?.Type == typeof(OutboxSenderJob))
        + monitoring.ProcessingJobs(0, 1_000).Count(j => j.Value.Job?.Type == typeof(OutboxSenderJob));

    private static void AssertSucceeded(CommandResult result) => Assert.True(result.Succeeded, $"{result.Status}: {result.Code} {result.Message}");
}
