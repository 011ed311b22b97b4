using Cashout.Domain.Cashouts;
using Cashout.Portal.Cashouts;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Jobs;
using Cashout.Portal.Providers;
using Cashout.Portal.Sandbox;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Jobs;

/// <summary>A cashout's own submission job, run by Hangfire in the app: idempotent, and never two at once.</summary>
public sealed class SubmissionJobTests : MoneyTest
{
    public SubmissionJobTests()
    {
        Portal.WithSetting("Jobs:Enabled", "true")
            .WithSetting("Payouts:ReviewWindowSeconds", "3600")
            .WithSetting("Jobs:OutboxSender:IntervalSeconds", "3600")
            .WithSetting("Jobs:Submit:IntervalSeconds", "3600")
            .WithSetting("Jobs:Track:IntervalSeconds", "3600")
            .WithSetting("Jobs:Settle:IntervalSeconds", "3600")
            .WithSetting("Jobs:WebhookDelivery:IntervalSeconds", "3600")
            .WithSetting("Payouts:BatchSize", "2");
    }

    [Fact]
    public async Task A_backlog_larger_than_the_sweeps_batch_is_submitted_without_waiting_for_the_next_sweep()
    {
        // Five cashouts whose review window ended while no trigger could submit them, as after a restart or requests
        // from another process.
        var cashouts = await CashoutsPastReviewAsync("backlog", 5);

        // One run of the sweep (the next is an hour away), a batch of two: the submissions it hands out run it again as they end.
        var sweeps = Portal.Services.GetRequiredService<RecurringSweeps>();
        sweeps.RunNow(sweeps.Find(RecurringSweeps.Submit)!);
        await Eventually.TrueAsync(
            async () => (await Portal.WithDbAsync(db => db.ProviderSubmissions.CountAsync(s => cashouts.Contains(s.CashoutId) && s.AcceptedAt != null))) == cashouts.Count,
            "the provider has acknowledged every cashout", TimeSpan.FromSeconds(30));

        // Each was sent once, under its own reference.
        foreach (var id in cashouts)
        {
            Assert.Equal(1, await SandboxAsync(db => db.Submissions.CountAsync(s => s.Reference == PayoutReference.For(id))));
        }
    }

    [Fact]
    public async Task The_sweeps_plan_leaves_out_the_submissions_in_flight_however_many_there_are()
    {
        // At month end every request through the API or a page enqueues its own submission, so a process can hold
        // tens of thousands in flight: the plan leaves them all out in one statement, more than SQLite's 32,766
        // variables a statement allows (and more than PostgreSQL's 65,535 parameters).
        var cashouts = await CashoutsPastReviewAsync("in-flight", 3);
        var inFlight = Enumerable.Range(1, 70_000).Select(i => cashouts[^1] + i).Append(cashouts[0]).ToList();

        var plan = await Use<SubmitDueCashouts, SubmitPlan>(submit => submit.PlanAsync(TimeSpan.Zero, inFlight));

        Assert.Equal(cashouts.Skip(1), plan.Due);
        Assert.Empty(plan.Upcoming);
    }

    [Fact]
    public async Task Does_submit_a_cashout_once_when_its_job_is_enqueued_twice()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        Portal.Clock.Advance(TimeSpan.FromHours(1)); // the review window has ended (for the app: Hangfire keeps real time)

        var client = Portal.Services.GetRequiredService<IBackgroundJobClient>();
        var jobs = new[]
        {
            client.Enqueue<SubmitCashoutsJob>(job => job.SubmitOneAsync(cashout.Id, CancellationToken.None)),
            client.Enqueue<SubmitCashoutsJob>(job => job.SubmitOneAsync(cashout.Id, CancellationToken.None)),
        };

        var monitoring = Portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(() => Task.FromResult(jobs.All(id => monitoring.JobDetails(id).History.FirstOrDefault()?.StateName == SucceededState.StateName)),
            "both jobs have succeeded", TimeSpan.FromSeconds(30),
            state: () => string.Join("; ", jobs.Select(id => $"job {id}: " + string.Join(" <- ", monitoring.JobDetails(id).History
                .Select(h => h.StateName + (h.Reason is null ? "" : $" ({h.Reason})") + (h.Data.TryGetValue("ExceptionMessage", out var error) ? $" [{error}]" : ""))))));

        var toProcessing = (await Portal.WithDbAsync(db => db.CashoutEvents.Where(e => e.CashoutId == cashout.Id).ToListAsync()))
            .Count(e => e.Type == CashoutEventType.StatusChanged && e.ToStatus == CashoutStatus.Processing);
        Assert.Equal(1, toProcessing);
        Assert.NotEqual(CashoutStatus.Pending, (await CashoutAsync(cashout.Id)).Status);
        Assert.Equal(1, await Portal.WithDbAsync(db => db.ProviderSubmissions.Where(s => s.CashoutId == cashout.Id).Select(s => s.Attempts).SingleAsync()));
        // The provider (the sandbox in this app) was asked once and paid once.
        Assert.Equal(1, await SandboxAsync(db => db.Submissions.CountAsync(s => s.Reference == PayoutReference.For(cashout.Id))));
        Assert.Equal(1, await SandboxAsync(db => db.Payouts.CountAsync(p => p.Reference == PayoutReference.For(cashout.Id))));
    }

    /// <summary>
    /// A cashout of 100.00 from each of <paramref name="count"/> new funded merchants, then the portal's clock moved an
    /// hour on: their review window has ended, while their own jobs are scheduled an hour of real time away.
    /// </summary>
    private async Task<List<long>> CashoutsPastReviewAsync(string name, int count)
    {
        var cashouts = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var merchant = await CreateFundedMerchantAsync($"{name}-{i}@cashout.test", 100_000);
            cashouts.Add((await RequestAsync(10_000, merchantId: merchant)).Id);
        }

        Portal.Clock.Advance(TimeSpan.FromHours(1));
        return cashouts;
    }

    private async Task<T> SandboxAsync<T>(Func<SandboxDbContext, Task<T>> query)
    {
        await using var db = new SandboxDbContext(new DbContextOptionsBuilder<SandboxDbContext>().UseSqlite($"Data Source={Path.Combine(Portal.DataDirectory, "in-process-sandbox.db")}").Options);
        return await query(db);
    }
}
