using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.PaymentMethods;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// The cooling-off period (ADR 019, Payouts:CoolingOffHours) through the portal's use case: a cashout to a method
/// linked less than the period ago is created on hold by the risk rule, with its funds reserved and the on-hold email,
/// and only an admin lifts the hold. Development runs with it off; these tests turn it on.
/// </summary>
public sealed class CoolingOffTests : MoneyTest
{
    public CoolingOffTests() => Portal.WithSetting("Payouts:CoolingOffHours", "24");

    [Fact]
    public async Task A_cashout_to_a_method_linked_within_the_period_is_held_by_the_rule_with_its_funds_reserved()
    {
        await LinkPayoneerAsync();
        Portal.Clock.Advance(TimeSpan.FromHours(23));

        var cashout = await CashoutAsync((await RequestAsync(100_000)).Id);

        Assert.Equal(CashoutStatus.OnHold, cashout.Status);
        Assert.Equal("Held for review: the Payoneer payout method was linked less than 24 hours ago.", cashout.HoldReason);
        Assert.Equal(ActorKind.System, cashout.HeldBy);
        Assert.Equal(new UsdBalances(MerchantAvailable - 100_000, MerchantPending, 100_000), await BalancesAsync());
        var held = await Portal.WithDbAsync(db => db.CashoutEvents.SingleAsync(e => e.CashoutId == cashout.Id && e.Type == CashoutEventType.StatusChanged));
        Assert.Equal((null, CashoutStatus.OnHold, ActorKind.System, "cooling-off"), (held.FromStatus, held.ToStatus, held.ActorKind, held.ActorId));
        var email = await Portal.WithDbAsync(db => db.OutboxMessages.SingleAsync(m => m.Subject.StartsWith("Cashout")));
        Assert.Equal("merchant@cashout.test", email.To);
        Assert.StartsWith("Cashout on hold", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_admin_releases_or_cancels_a_cooling_off_hold()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(100_000);

        AssertRefused(await Use<ReleaseCashout, CommandResult>(release => release.HandleAsync(Caller.Merchant(MerchantId), cashout.Id)), CashoutErrors.HeldForReviewCode);
        AssertRefused(await Use<CancelCashout, CommandResult>(cancel => cancel.HandleAsync(Caller.Merchant(MerchantId), cashout.Id, "changed my mind")), CashoutErrors.HeldForReviewCode);
        AssertSucceeded(await Use<ReleaseCashout, CommandResult>(release => release.HandleAsync(Admin, cashout.Id)));

        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task A_cashout_to_a_method_linked_the_whole_period_ago_is_pending()
    {
        await LinkPayoneerAsync();
        Portal.Clock.Advance(TimeSpan.FromHours(24));

        var cashout = await CashoutAsync((await RequestAsync(100_000)).Id);

        Assert.Equal(CashoutStatus.Pending, cashout.Status);
        Assert.Null(cashout.HoldReason);
    }

    [Fact]
    public async Task Relinking_a_method_linked_long_ago_starts_the_period_again()
    {
        await LinkPayoneerAsync();
        Portal.Clock.Advance(TimeSpan.FromDays(3));
        AssertSucceeded(await Use<UnlinkPaymentMethod, CommandResult>(unlink => unlink.HandleAsync(Merchant, MerchantId, PayoutMethod.Payoneer)));
        await LinkPayoneerAsync(payeeEmail: "new-payee@example.com");

        var cashout = await CashoutAsync((await RequestAsync(100_000)).Id);

        Assert.Equal((CashoutStatus.OnHold, "new-payee@example.com"), (cashout.Status, cashout.PayeeReference));
    }
}
