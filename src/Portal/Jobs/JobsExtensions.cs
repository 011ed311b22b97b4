using Quartz;

namespace Cashout.Portal.Jobs;

public static class JobsExtensions
{
    public static void AddCashoutJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.OutboxSender.IntervalSeconds is >= 1 and <= 86_400, "Jobs:OutboxSender:IntervalSeconds must be between 1 and 86400.")
            .ValidateOnStart();

        builder.Services.AddSingleton<SchedulerAccessor>();
        builder.Services.AddSingleton(new RecurringJob(
            new JobKey("outbox-sender", "email"), typeof(OutboxSenderJob), o => o.OutboxSender, "Sends queued emails over SMTP, retrying with backoff"));
        builder.Services.AddHostedService<QuartzHostedService>();
    }
}
