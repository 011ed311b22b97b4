using System.Linq.Expressions;
using Hangfire.Common;

namespace Cashout.Portal.Jobs;

/// <summary>
/// One recurring sweep: its Hangfire recurring-job id, the method Hangfire runs, how often, and what it is for.
/// A sweep reads what to do from the database, so a run that is extra, late or repeated is always safe.
/// </summary>
public sealed record RecurringSweep(string Id, Type JobType, Job Job, Func<JobsOptions, JobSchedule> Schedule, string Description)
{
    /// <summary>Sweeps have a queue of their own, served before per-cashout work, so a backlog of submissions never holds up email.</summary>
    public const string Queue = "sweeps";

    public static RecurringSweep For<TJob>(string id, Expression<Func<TJob, Task>> run, Func<JobsOptions, JobSchedule> schedule, string description) =>
        new(id, typeof(TJob), Job.FromExpression(run, Queue), schedule, description);

    /// <summary>
    /// The interval as a cron expression. Hangfire reads a six-part expression as having seconds (Cronos), so an
    /// interval below a minute is <c>*/N * * * * *</c>; longer ones are whole minutes or hours (rounded down, so a
    /// sweep never runs less often than configured). When N does not divide the minute, hour or day, the last
    /// run of each comes a little sooner than N.
    /// </summary>
    public static string CronFor(int intervalSeconds) => intervalSeconds switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(intervalSeconds), intervalSeconds, "An interval is at least one second."),
        < 60 => $"*/{intervalSeconds} * * * * *",
        < 3_600 => $"0 */{intervalSeconds / 60} * * * *",
        < 86_400 => $"0 0 */{intervalSeconds / 3_600} * * *",
        _ => "0 0 0 * * *",
    };
}
