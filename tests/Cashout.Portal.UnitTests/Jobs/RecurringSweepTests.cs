using Cashout.Portal.Jobs;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;

namespace Cashout.Portal.UnitTests.Jobs;

public sealed class RecurringSweepTests
{
    [Theory]
    [InlineData(1, "*/1 * * * * *")]
    [InlineData(5, "*/5 * * * * *")]
    [InlineData(59, "*/59 * * * * *")]
    [InlineData(60, "0 */1 * * * *")]
    [InlineData(90, "0 */1 * * * *")]
    [InlineData(300, "0 */5 * * * *")]
    [InlineData(3_600, "0 0 */1 * * *")]
    [InlineData(7_200, "0 0 */2 * * *")]
    [InlineData(86_400, "0 0 0 * * *")]
    public void CronFor_interval_is_the_expected_expression(int seconds, string expected) =>
        Assert.Equal(expected, RecurringSweep.CronFor(seconds));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(45)]
    [InlineData(90)]
    [InlineData(300)]
    [InlineData(5_400)]
    [InlineData(86_400)]
    public void CronFor_interval_is_accepted_by_Hangfire_and_next_runs_within_the_interval(int seconds)
    {
        using var storage = new InMemoryStorage(new InMemoryStorageOptions());
        var manager = new RecurringJobManager(storage);
        var before = DateTime.UtcNow;

        manager.AddOrUpdate("sweep", () => Console.WriteLine("sweep"), RecurringSweep.CronFor(seconds), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        using var connection = storage.GetConnection();
        var next = Assert.Single(connection.GetRecurringJobs(["sweep"])).NextExecution;
        Assert.NotNull(next);
        // Hangfire schedules from one second back, to the whole second.
        Assert.InRange(next.Value, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(seconds));
    }
}
