using Cashout.Domain.Fees;

namespace Cashout.Portal.UnitTests.Domain.Fees;

public class BusinessCalendarTests
{
    [Theory]
    [InlineData("2026-01-09", 1, "2026-01-12")] // Friday + 1 = Monday
    [InlineData("2026-01-09", 3, "2026-01-14")] // Friday + 3 = Wednesday
    [InlineData("2026-01-10", 1, "2026-01-12")] // Saturday + 1 = Monday
    [InlineData("2026-01-11", 1, "2026-01-12")] // Sunday + 1 = Monday
    [InlineData("2026-01-05", 3, "2026-01-08")] // Monday + 3 = Thursday
    [InlineData("2026-01-08", 3, "2026-01-13")] // Thursday + 3 = Tuesday
    [InlineData("2026-01-07", 5, "2026-01-14")] // Wednesday + 5 = next Wednesday
    [InlineData("2026-01-09", 10, "2026-01-23")] // two weekends
    [InlineData("2026-01-10", 0, "2026-01-10")] // zero days stays put, even on a weekend
    public void Skips_saturdays_and_sundays_when_adding_business_days(string start, int days, string expected)
    {
        var startMoment = DateTimeOffset.Parse(start + "T14:30:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var result = BusinessCalendar.AddBusinessDays(startMoment, days);

        Assert.Equal(DateTimeOffset.Parse(expected + "T14:30:00Z", System.Globalization.CultureInfo.InvariantCulture), result);
    }

    [Fact]
    public void Keeps_the_time_of_day_and_offset_when_adding_business_days()
    {
        var start = new DateTimeOffset(2026, 1, 9, 23, 15, 0, TimeSpan.FromHours(2));

        var result = BusinessCalendar.AddBusinessDays(start, 1);

        Assert.Equal(new DateTimeOffset(2026, 1, 12, 23, 15, 0, TimeSpan.FromHours(2)), result);
    }

    [Fact]
    public void Throws_when_days_are_negative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BusinessCalendar.AddBusinessDays(DateTimeOffset.UnixEpoch, -1));
    }
}
