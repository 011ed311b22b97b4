using Bunit;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.ComponentTests.Infrastructure;

namespace Cashout.Portal.ComponentTests.Cashouts;

public sealed class CashoutSummaryTests : PortalTestContext
{
    private static readonly DateTimeOffset At = new(2026, 3, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Does_show_the_admins_cancel_reason_in_a_banner_when_the_back_office_cancelled_the_cashout()
    {
        var summary = RenderSummary(
            Requested(),
            new CashoutTimelineEntry(2, CashoutEventType.StatusChanged, At.AddHours(1), CashoutStatus.Pending, CashoutStatus.Cancelled, ActorKind.Admin, "Back office", "Payee name does not match the account", null, null));

        var banner = summary.Find("[data-testid=cancel-banner]");
        Assert.Equal(["Cancelled by the back office.", "Reason: Payee name does not match the account", "The amount and fee are back in your available balance."], banner.VisibleTexts());
    }

    [Fact]
    public void Does_show_no_cancel_banner_when_the_merchant_cancelled_the_cashout()
    {
        var summary = RenderSummary(
            Requested(),
            new CashoutTimelineEntry(2, CashoutEventType.StatusChanged, At.AddHours(1), CashoutStatus.Pending, CashoutStatus.Cancelled, ActorKind.Merchant, "shop@example.test", null, null, null));

        Assert.Empty(summary.FindAll("[data-testid=cancel-banner]"));
    }

    private static CashoutTimelineEntry Requested() =>
        new(1, CashoutEventType.StatusChanged, At, null, CashoutStatus.Pending, ActorKind.Merchant, "shop@example.test", null, null, null);

    private IRenderedComponent<CashoutSummary> RenderSummary(params CashoutTimelineEntry[] timeline)
    {
        var usd = (long cents) => Money.Of(cents, Currency.USD);
        var quote = new Quote(PayoutMethod.Payoneer, FeeSemantics.FeeTakenFromAmount, usd(10_000), usd(200), usd(9_800), usd(10_000), usd(5_000), At, At.AddDays(3), IsInstant: false);
        var details = new CashoutDetails(
            7, "merchant-1", "shop@example.test", timeline[^1].ToStatus!.Value, PayoutMethod.Payoneer, usd(10_000), usd(200), usd(9_800), usd(10_000), quote,
            "payee@example.test", "payee@example.test", null, null, null, null, null, null, At, timeline[^1].At, null, null, timeline);
        return Render<CashoutSummary>(p => p.Add(c => c.Cashout, details));
    }
}
