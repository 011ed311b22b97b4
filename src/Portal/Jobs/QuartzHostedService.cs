using System.Collections.Specialized;
using System.Globalization;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl;

namespace Cashout.Portal.Jobs;

/// <summary>One recurring job: its Quartz key, its class and how often it fires.</summary>
public sealed record RecurringJob(JobKey Key, Type JobType, Func<JobsOptions, JobSchedule> Schedule, string Description);

/// <summary>
/// Runs an in-memory Quartz scheduler inside the app. Jobs only trigger work; what must happen is read from
/// the database, so nothing is lost when the process stops and no Quartz tables are needed.
/// </summary>
internal sealed class QuartzHostedService(
    IServiceScopeFactory scopeFactory,
    IEnumerable<RecurringJob> jobs,
    IOptions<JobsOptions> options,
    SchedulerAccessor accessor,
    JobRunLog runLog,
    ILogger<QuartzHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var factory = new StdSchedulerFactory(new NameValueCollection
        {
            // Quartz keeps schedulers in a process-wide registry by name: one name per host, so several
            // hosts in one process (integration tests) do not collide.
            ["quartz.scheduler.instanceName"] = $"cashout-portal-{Guid.NewGuid():N}",
            ["quartz.threadPool.maxConcurrency"] = settings.MaxConcurrency.ToString(CultureInfo.InvariantCulture),
        });
        var scheduler = await factory.GetScheduler(cancellationToken);
        scheduler.JobFactory = new ScopedJobFactory(scopeFactory);
        scheduler.ListenerManager.AddJobListener(runLog, Quartz.Impl.Matchers.GroupMatcher<JobKey>.AnyGroup());

        foreach (var job in jobs)
        {
            var detail = JobBuilder.Create(job.JobType).WithIdentity(job.Key).WithDescription(job.Description).Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(job.Key.Name + ".recurring", job.Key.Group)
                .StartNow()
                .WithSimpleSchedule(s => s.WithIntervalInSeconds(job.Schedule(settings).IntervalSeconds).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
                .Build();
            await scheduler.ScheduleJob(detail, trigger, cancellationToken);
        }

        accessor.Scheduler = scheduler;
        if (settings.Enabled)
        {
            await scheduler.Start(cancellationToken);
            logger.LogInformation("Scheduler started with {Count} jobs", jobs.Count());
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (accessor.Scheduler is { } scheduler)
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
    }
}

/// <summary>Gives pages (e.g. /admin/jobs) the running scheduler.</summary>
public sealed class SchedulerAccessor
{
    public IScheduler? Scheduler { get; internal set; }

    /// <summary>False when Jobs:Enabled is off: the jobs are known but nothing fires.</summary>
    public bool IsRunning => Scheduler is { IsStarted: true, IsShutdown: false, InStandbyMode: false };
}
