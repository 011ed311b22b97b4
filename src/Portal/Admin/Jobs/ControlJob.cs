using Cashout.Portal.Common;
using Cashout.Portal.Jobs;
using Quartz;

namespace Cashout.Portal.Admin.Jobs;

public enum JobAction
{
    TriggerNow,
    Pause,
    Resume,
}

/// <summary>An admin runs a job now, or pauses or resumes its schedule. Jobs are idempotent, so an extra run is always safe.</summary>
public sealed class ControlJob(SchedulerAccessor accessor, IEnumerable<RecurringJob> jobs, ILogger<ControlJob> logger)
{
    public async Task<CommandResult> HandleAsync(Caller caller, string group, string name, JobAction action, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return CommandResult.Forbidden;
        }

        var key = new JobKey(name, group);
        if (!jobs.Any(j => j.Key.Equals(key)))
        {
            return CommandResult.NotFound;
        }

        if (accessor is not { IsRunning: true, Scheduler: { } scheduler })
        {
            return CommandResult.Refused("scheduler_stopped", "The scheduler is not running (Jobs:Enabled is off).");
        }

        switch (action)
        {
            case JobAction.TriggerNow:
                await scheduler.TriggerJob(key, cancellationToken);
                break;
            case JobAction.Pause:
                await scheduler.PauseJob(key, cancellationToken);
                break;
            default:
                await scheduler.ResumeJob(key, cancellationToken);
                break;
        }

        logger.LogInformation("Admin {AdminId} asked job {Job} to {Action}", caller.Id, key, action);
        return CommandResult.Ok;
    }
}
