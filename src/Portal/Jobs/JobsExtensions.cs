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
            .Validate(o => o.Submit.IntervalSeconds is >= 1 and <= 86_400, "Jobs:Submit:IntervalSeconds must be between 1 and 86400.")
            .Validate(o => o.Track.IntervalSeconds is >= 1 and <= 86_400, "Jobs:Track:IntervalSeconds must be between 1 and 86400.")
            .Validate(o => o.Settle.IntervalSeconds is >= 1 and <= 86_400, "Jobs:Settle:IntervalSeconds must be between 1 and 86400.")
            .ValidateOnStart();

        builder.Services.AddSingleton<SchedulerAccessor>();
        builder.Services.AddSingleton<JobRunLog>();
        builder.Services.AddSingleton(new RecurringJob(
            new JobKey("outbox-sender", "email"), typeof(OutboxSenderJob), o => o.OutboxSender, "Sends queued emails over SMTP, retrying with backoff"));
        builder.Services.AddSingleton(new RecurringJob(
            new JobKey("submit", "payouts"), typeof(SubmitCashoutsJob), o => o.Submit, "Sends Pending cashouts past the review window to their provider"));
        builder.Services.AddSingleton(new RecurringJob(
            new JobKey("track", "payouts"), typeof(TrackPayoutsJob), o => o.Track, "Polls providers for Processing cashouts whose webhook is late"));
        builder.Services.AddSingleton(new RecurringJob(
            new JobKey("settle", "balances"), typeof(SettleFundsJob), o => o.Settle, "Makes pending funds available on their settlement date"));
        builder.Services.AddHostedService<QuartzHostedService>();
    }
}
