using Cashout.Portal.Jobs;

namespace Cashout.Portal.UnitTests.Jobs;

public sealed class PipelineTriggersTests
{
    [Theory]
    [InlineData("2026-12-02T10:00:03.0000000+00:00", "2026-12-02T10:00:03.0000000+00:00")]
    [InlineData("2026-12-02T10:00:03.0000001+00:00", "2026-12-02T10:00:04.0000000+00:00")]
    [InlineData("2026-12-02T10:00:03.7000000+00:00", "2026-12-02T10:00:04.0000000+00:00")]
    [InlineData("2026-12-02T11:00:03.7000000+01:00", "2026-12-02T11:00:04.0000000+01:00")]
    public void Hands_Hangfire_the_next_whole_second_when_a_submission_is_due_within_a_second(string due, string expected)
    {
        var at = DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture);

        var scheduled = PipelineTriggers.NotBefore(at);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), scheduled);
        Assert.True(scheduled >= at);
        Assert.Equal(0, scheduled.ToUnixTimeMilliseconds() % 1000);
    }
}
