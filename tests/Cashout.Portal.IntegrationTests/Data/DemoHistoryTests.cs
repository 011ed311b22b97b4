using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// `dotnet run`'s first look: the demo merchant has a linked payee and a history in every ending status, in two
/// currencies; a second merchant's cashout waits on hold; the ledger holds; and the demo merchant can cash out at once.
/// </summary>
public sealed class DemoHistoryTests : IAsyncLifetime
{
    private readonly PortalFactory portal = new PortalFactory().WithSetting("Database:SeedDemoHistory", "true");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Demo_merchant_has_a_linked_payee_and_cashouts_in_every_ending_status_in_two_currencies()
    {
        var merchantId = await IdOfAsync(DemoSeed.MerchantEmail);

        var cashouts = await portal.WithDbAsync(db => db.Cashouts.Where(c => c.MerchantId == merchantId).ToListAsync());
        Assert.Equal(
            [(CashoutStatus.Completed, "USD"), (CashoutStatus.Failed, "USD"), (CashoutStatus.Returned, "EUR"), (CashoutStatus.Cancelled, "USD"), (CashoutStatus.Completed, "EUR")],
            cashouts.OrderBy(c => c.Id).Select(c => (c.Status, c.Amount.Currency.Code)));
        var failed = Assert.Single(cashouts, c => c.Status == CashoutStatus.Failed);
        Assert.Equal("808", failed.RejectionCode);
        Assert.All(cashouts, c => Assert.True(c.CreatedAt < portal.Clock.GetUtcNow().AddDays(-2), "history is dated back"));
        Assert.Equal(DemoSeed.PayeeEmail, await portal.WithDbAsync(db => db.PaymentMethods.Where(m => m.MerchantId == merchantId && m.Method == PayoutMethod.Payoneer).Select(m => m.PayeeEmail).SingleAsync()));

        var details = await portal.UseAsync<GetCashoutDetails, CashoutDetails?>(g => g.HandleAsync(Caller.Merchant(merchantId), cashouts.Single(c => c.Status == CashoutStatus.Cancelled).Id));
        Assert.Contains("does not match", details!.Cancellation!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_merchants_cashout_waits_on_hold_with_a_reason_for_the_back_office()
    {
        var retailerId = await IdOfAsync(DemoSeed.RetailerEmail);

        var held = await portal.WithDbAsync(db => db.Cashouts.SingleAsync(c => c.MerchantId == retailerId));

        Assert.Equal(CashoutStatus.OnHold, held.Status);
        Assert.False(string.IsNullOrWhiteSpace(held.HoldReason));
    }

    [Fact]
    public async Task Ledger_holds_every_invariant_and_the_demo_merchant_can_request_a_cashout_at_once()
    {
        var merchantId = await IdOfAsync(DemoSeed.MerchantEmail);

        Assert.Empty(await portal.UseAsync<LedgerVerifier, IReadOnlyList<InvariantViolation>>(v => v.VerifyAsync()));
        // No cooldown, no cashout in flight: the seed's history is behind the merchant.
        var outcome = await portal.UseAsync<RequestCashout, RequestCashoutOutcome>(r => r.HandleAsync(
            Caller.Merchant(merchantId) with { SteppedUpAt = portal.Clock.GetUtcNow() },
            new RequestCashoutCommand(merchantId, PayoutMethod.Payoneer, 10_000, Currency.USD)));
        Assert.NotNull(outcome.Cashout);
    }

    private Task<string> IdOfAsync(string email) => portal.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
}
