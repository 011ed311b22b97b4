namespace Cashout.Domain.Fees;

/// <summary>Business days are Monday to Friday. Public holidays are not modelled: estimates are upper bounds anyway.</summary>
public static class BusinessCalendar
{
    public static bool IsBusinessDay(DateTimeOffset moment) =>
        moment.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// Moves forward day by day, counting only weekdays, keeping the time of day and offset:
    /// Friday + 1 = Monday, Saturday + 1 = Monday, Monday + 3 = Thursday.
    /// </summary>
    public static DateTimeOffset AddBusinessDays(DateTimeOffset start, int businessDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(businessDays);

        var moment = start;
        var remaining = businessDays;
        while (remaining > 0)
        {
            moment = moment.AddDays(1);
            if (IsBusinessDay(moment))
            {
                remaining--;
            }
        }

        return moment;
    }
}
