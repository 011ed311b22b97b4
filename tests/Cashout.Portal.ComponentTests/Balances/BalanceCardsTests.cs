using Bunit;
using Cashout.Domain.Monetary;
using Cashout.Portal.Balances;
using Cashout.Portal.ComponentTests.Infrastructure;

namespace Cashout.Portal.ComponentTests.Balances;

public sealed class BalanceCardsTests : PortalTestContext
{
    [Fact]
    public async Task Does_show_available_pending_and_reserved_with_the_currency_symbol_when_given_balances()
    {
        var cards = await RenderAsync(new MerchantBalance(Currency.USD, Money.Of(500_000, Currency.USD), Money.Of(100_000, Currency.USD), Money.Of(2_550, Currency.USD)));

        Assert.Equal("$5,000.00", cards.Find("[data-testid=available-USD]").TextContent);
        Assert.Equal("$1,000.00", cards.Find("[data-testid=pending-USD]").TextContent);
        Assert.Equal("$25.50", cards.Find("[data-testid=reserved-USD]").TextContent);
    }

    [Fact]
    public async Task Does_show_one_group_per_currency_in_the_given_order_when_the_merchant_holds_several()
    {
        var cards = await RenderAsync(
            new MerchantBalance(Currency.USD, Money.Of(1, Currency.USD), Money.Zero(Currency.USD), Money.Zero(Currency.USD)),
            new MerchantBalance(Currency.EUR, Money.Of(12_345, Currency.EUR), Money.Zero(Currency.EUR), Money.Zero(Currency.EUR)));

        Assert.Equal(["USD balances", "EUR balances"], cards.FindAll("[role=listitem]").Select(g => g.GetAttribute("aria-label")));
        Assert.Equal("€123.45", cards.Find("[data-testid=available-EUR]").TextContent);
    }

    private Task<IRenderedComponent<BalanceCards>> RenderAsync(params MerchantBalance[] balances) =>
        Task.FromResult(Render<BalanceCards>(p => p.Add(c => c.Balances, balances)));
}
