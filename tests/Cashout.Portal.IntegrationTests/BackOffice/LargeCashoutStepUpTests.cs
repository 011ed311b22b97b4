using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Identity;
using Cashout.Portal.IntegrationTests.Infrastructure;

namespace Cashout.Portal.IntegrationTests.BackOffice;

/// <summary>A portal cashout above StepUp:LargeCashoutMinorUnits (default $10,000.00) needs a re-authentication within the window.</summary>
public sealed class LargeCashoutStepUpTests : MoneyTest
{
    private const long Large = 1_000_001;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        AssertSucceeded(await Use<FundMerchant, CommandResult>(f => f.HandleAsync(Admin, new FundMerchantCommand(MerchantId, 2_000_000, Currency.USD, null, "Big sales"))));
        await LinkPayoneerAsync();
    }

    [Fact]
    public async Task Large_cashout_is_refused_with_the_step_up_code_and_writes_nothing_when_the_merchant_has_not_re_authenticated()
    {
        var before = await SnapshotAsync();

        var outcome = await RequestAsAsync(Caller.Merchant(MerchantId), Large);

        Assert.Equal(CommandStatus.Refused, outcome.Status);
        Assert.Equal((StepUpPolicy.RequiredCode, StepUpPolicy.RequiredMessage), (outcome.Error!.Code, outcome.Error.Message));
        Assert.Null(outcome.Decline);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Large_cashout_is_refused_when_the_step_up_is_older_than_the_window()
    {
        var steppedUp = SteppedUp(MerchantId);
        Portal.Clock.Advance(TimeSpan.FromMinutes(6));

        var outcome = await RequestAsAsync(steppedUp, Large);

        Assert.Equal(StepUpPolicy.RequiredCode, outcome.Error?.Code);
    }

    [Fact]
    public async Task Large_cashout_is_accepted_when_the_merchant_re_authenticated_within_the_window()
    {
        var steppedUp = SteppedUp(MerchantId);
        Portal.Clock.Advance(TimeSpan.FromMinutes(4));

        var outcome = await RequestAsAsync(steppedUp, Large);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Equal(Large, (await BalancesAsync()).Reserved);
    }

    [Fact]
    public async Task Cashout_at_the_threshold_needs_no_step_up()
    {
        var outcome = await RequestAsAsync(Caller.Merchant(MerchantId), Large - 1);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
    }

    [Fact]
    public async Task Large_cashout_through_an_API_needs_no_step_up_because_the_client_signs_every_request()
    {
        var outcome = await Use<RequestCashout, RequestCashoutOutcome>(r => r.HandleAsync(
            Caller.Merchant(MerchantId), new RequestCashoutCommand(MerchantId, PayoutMethod.Payoneer, Large, Currency.USD, Source: "api-a")));

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
    }

    private Task<RequestCashoutOutcome> RequestAsAsync(Caller caller, long amount) =>
        Use<RequestCashout, RequestCashoutOutcome>(r => r.HandleAsync(caller, new RequestCashoutCommand(MerchantId, PayoutMethod.Payoneer, amount, Currency.USD)));
}
