using System.Globalization;
using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Cashouts;

/// <summary>How the portal names statuses, methods and times to people, the same on every page, badge and export.</summary>
public static class CashoutStatusText
{
    public static string Label(CashoutStatus status) => status switch
    {
        CashoutStatus.OnHold => "On hold",
        _ => status.ToString(),
    };

    public static string MethodLabel(PayoutMethod method) => method.ToDisplayName();

    /// <summary>Times are shown in UTC, labelled: the server cannot know the browser's zone, and ambiguity about money is worse.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
