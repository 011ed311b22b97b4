using Cashout.Portal.Common;
using Cashout.Portal.Jobs;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Admin.Jobs;

public enum JobAction
{
    TriggerNow,
    Pause,
    Resume,
}

/// <summary>
/// An admin runs a job now, or pauses or resumes its schedule. Jobs are idempotent, so an extra run is always safe.
/// Pausing removes the job's recurring schedule in Hangfire (docs/decisions/015-hangfire-jobs.md).
/// </summary>
public sealed class ControlJob(RecurringSweeps sweeps, IOptions<JobsOptions> options, ILogger<ControlJob> logger)
{
    public Task<CommandResult> HandleAsync(Caller caller, string id, JobAction action, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Task.FromResult(CommandResult.Forbidden);
        }

        if (sweeps.Find(id) is not { } sweep)
        {
            return Task.FromResult(CommandResult.NotFound);
        }

        if (!options.Value.Enabled)
        {
            return Task.FromResult(CommandResult.Refused("scheduler_stopped", "The scheduler is not running (Jobs:Enabled is off)."));
        }

        switch (action)
        {
            case JobAction.TriggerNow:
                sweeps.RunNow(sweep);
                break;
            case JobAction.Pause:
                sweeps.Pause(sweep);
                break;
            default:
                sweeps.Resume(sweep);
                break;
        }

        logger.LogInformation("Admin {AdminId} asked job {Job} to {Action}", caller.Id, id, action);
        return Task.FromResult(CommandResult.Ok);
    }
}
