using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Jobs;

public static class JobsExtensions
{
    /// <summary>Where Hangfire's dashboard is served (admins with two-factor only).</summary>
    public const string DashboardPath = "/admin/hangfire";

    /// <summary>
    /// Hangfire runs every job (docs/decisions/015-hangfire-jobs.md): with in-memory storage on the embedded SQLite
    /// default, with its PostgreSQL storage (schema "hangfire" of the portal's database) when the portal runs on
    /// PostgreSQL, where every node's server takes jobs from the one queue and each job runs once across them. Its
    /// services are this host's own (storage, activator, filters), not Hangfire's process-wide defaults, so several
    /// hosts in one process (integration tests) never run each other's jobs.
    /// </summary>
    public static void AddCashoutJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.OutboxSender.IntervalSeconds is >= 1 and <= 86_400, "Jobs:OutboxSender:IntervalSeconds must be between 1 and 86400.")
            .Validate(o => o.Submit.IntervalSeconds is >= 1 and <= 86_400, "Jobs:Submit:IntervalSeconds must be between 1 and 86400.")
            .Validate(o => o.Track.IntervalSeconds is >= 1 and <= 86_400, "Jobs:Track:IntervalSeconds must be between 1 and 86400.")
            .Validate(o => o.Settle.IntervalSeconds is >= 1 and <= 86_400, "Jobs:Settle:IntervalSeconds must be between 1 and 86400.")
            .Validate(o => o.WebhookDelivery.IntervalSeconds is >= 1 and <= 86_400, "Jobs:WebhookDelivery:IntervalSeconds must be between 1 and 86400.")
            .ValidateOnStart();

        services.AddSingleton(RecurringSweep.For<OutboxSenderJob>(
            RecurringSweeps.OutboxSender, job => job.RunAsync(CancellationToken.None), o => o.OutboxSender, "Sends queued emails over SMTP, retrying with backoff"));
        services.AddSingleton(RecurringSweep.For<SubmitCashoutsJob>(
            RecurringSweeps.Submit, job => job.SweepAsync(CancellationToken.None), o => o.Submit, "Sends Pending cashouts past the review window to their provider"));
        services.AddSingleton(RecurringSweep.For<TrackPayoutsJob>(
            "track", job => job.RunAsync(CancellationToken.None), o => o.Track, "Polls providers for Processing cashouts whose webhook is late"));
        services.AddSingleton(RecurringSweep.For<SettleFundsJob>(
            "settle", job => job.RunAsync(CancellationToken.None), o => o.Settle, "Makes pending funds available on their settlement date"));

        services.AddScoped<OutboxSenderJob>();
        services.AddScoped<SubmitCashoutsJob>();
        services.AddScoped<TrackPayoutsJob>();
        services.AddScoped<SettleFundsJob>();

        services.AddSingleton<JobRunLog>();
        services.AddSingleton<QueuedRuns>();
        services.AddSingleton<RecurringSweeps>();
        services.AddSingleton<PipelineTriggers>();
        services.AddSingleton<AfterCommitTriggers>();
        services.AddSingleton<IPortalDbInterceptor>(sp => sp.GetRequiredService<AfterCommitTriggers>());

        // Registered before AddHangfire, which only adds what is missing.
        services.AddSingleton(_ => JobStorageFor(builder.Configuration));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider>(sp =>
        {
            // Before the sweeps' DisableConcurrentExecution (same order, global scope first): a run that another one
            // already waits for is dropped there, before it holds a worker in the wait.
            var filters = new JobFilterCollection { new QueuedRuns.BeforeLock(sp.GetRequiredService<QueuedRuns>()), sp.GetRequiredService<JobRunLog>() };
            // After DisableConcurrentExecution (order -1): a run clears its mark once it holds the sweep's lock, so
            // while it waits for the lock, commits add no more runs. Cleared before, every commit during a long run
            // queued one more, each holding a worker blocked on the lock: most of the workers, when profiled.
            filters.Add(sp.GetRequiredService<QueuedRuns>(), order: 1);
            return new JobFilterProviderCollection(JobFilterProviders.Providers, filters);
        });
        services.AddHangfire((sp, configuration) =>
        {
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            HangfireLogging.Use(sp, configuration);
        });

        // The sweeps are scheduled (and, with the server on, run once) as the app starts: whatever the database
        // says is due goes now, and each cashout's review window end is scheduled by the submit sweep.
        services.AddHostedService<SweepScheduler>();
        if (builder.Configuration.GetValue($"{JobsOptions.Section}:{nameof(JobsOptions.Enabled)}", defaultValue: true))
        {
            services.AddHangfireServer((sp, server) =>
            {
                var settings = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = settings.MaxConcurrency;
                server.SchedulePollingInterval = TimeSpan.FromMilliseconds(settings.PollingIntervalMilliseconds);
                server.Queues = [RecurringSweep.Queue, "default"];
                server.ServerName = $"cashout-portal:{Environment.ProcessId}";
            });
        }
    }

    private static JobStorage JobStorageFor(IConfiguration configuration)
    {
        if (DataExtensions.ProviderOf(configuration) != DatabaseProvider.PostgreSql)
        {
            return new InMemoryStorage(new InMemoryStorageOptions());
        }

        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            // A job enqueued on any node wakes the servers at once (LISTEN/NOTIFY) instead of at the next poll.
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(5),
            // A node killed mid-job: its fetched jobs go back to the queue after this (a live node keeps extending it),
            // and the sweep locks it held (DisableConcurrentExecution) are taken over once this old. A sweep that
            // outlives its lock may overlap the next one: every job is safe to run twice (the database decides).
            InvisibilityTimeout = TimeSpan.FromSeconds(30),
            UseSlidingInvisibilityTimeout = true,
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(DataExtensions.PostgreSqlConnectionString(configuration), options), options);
    }
}

/// <summary>Hangfire's dashboard, for admins.</summary>
public static class JobsDashboard
{
    /// <summary>
    /// Serves Hangfire's dashboard at <see cref="JobsExtensions.DashboardPath"/> behind the Admin policy (Admin role and
    /// two-factor, checked on every request, the dashboard's own polling included). Its actions are POSTs that
    /// Hangfire checks against ASP.NET Core's antiforgery token (the page carries it; a cross-site form cannot).
    /// </summary>
    public static void MapJobsDashboard(this WebApplication app) =>
        app.MapHangfireDashboardWithAuthorizationPolicy(PortalPolicies.Admin, JobsExtensions.DashboardPath, new DashboardOptions
        {
            AppPath = "/admin/jobs",
            DashboardTitle = "Cashout Portal jobs",
            DisplayStorageConnectionString = false,
            IgnoreAntiforgeryToken = false,
        }).WithMetadata(new PlainStatusCodes());
}

/// <summary>Schedules the recurring sweeps from the settings at start, and runs each once when the server is on.</summary>
internal sealed class SweepScheduler(RecurringSweeps sweeps, IOptions<JobsOptions> options, ILogger<SweepScheduler> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sweeps.ScheduleAll();
        if (options.Value.Enabled)
        {
            foreach (var sweep in sweeps.All)
            {
                sweeps.TryTrigger(sweep.Id);
            }

            logger.LogInformation("Hangfire runs {Count} recurring sweeps", sweeps.All.Count);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
