using Bunit;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Cashouts.Pages;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Cashout.Portal.IntegrationTests.Portal;

/// <summary>
/// /cashouts rendered with bunit over the real portal's services and SQLite file: the grid asks the server for each
/// page and for the sort the merchant clicks, instead of loading the history into the browser.
/// </summary>
public sealed class CashoutHistoryGridTests : MoneyTest
{
    private readonly BunitContext ui = new();
    private AsyncServiceScope? scope;

    [Fact]
    public async Task Does_ask_the_server_for_the_next_page_and_for_the_sorted_data_when_the_merchant_pages_and_sorts()
    {
        await LinkPayoneerAsync();
        // 25 cashouts of growing amounts (each cancelled, so the next may be requested at once).
        var ids = new List<long>();
        for (var i = 1; i <= 25; i++)
        {
            var cashout = await RequestAsync(5_000 + i * 100);
            ids.Add(cashout.Id);
            AssertSucceeded(await Use<CancelCashout, Cashout.Portal.Common.CommandResult>(c => c.HandleAsync(Merchant, cashout.Id, reason: null)));
        }

        var grid = RenderHistory();

        // Newest first, 20 a page: the 25th to the 6th.
        grid.WaitForAssertion(() => Assert.Equal(ids.AsEnumerable().Reverse().Take(20), VisibleIds(grid)), TimeSpan.FromSeconds(10));
        Assert.Contains("25 cashouts", grid.Find("[data-testid=cashout-count]").TextContent);

        await grid.Find("button[aria-label='Next page']").ClickAsync(new());
        grid.WaitForAssertion(() => Assert.Equal(ids.Take(5).Reverse(), VisibleIds(grid)), TimeSpan.FromSeconds(10));

        // Sorted by amount, smallest first: the second page now holds the five largest, in the database's order.
        await grid.FindAll("th").Single(th => th.TextContent.Contains("Amount")).QuerySelector(".sortable-column-header")!.ClickAsync(new());
        grid.WaitForAssertion(() => Assert.Equal(ids.Skip(20), VisibleIds(grid)), TimeSpan.FromSeconds(10));
        await grid.Find("button[aria-label='First page']").ClickAsync(new());
        grid.WaitForAssertion(() => Assert.Equal(ids.Take(20), VisibleIds(grid)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Does_show_a_bank_cashout_as_paid_to_the_holder_and_last_four_digits_not_the_instrument_id()
    {
        var linked = await Use<Cashout.Portal.PaymentMethods.LinkPaymentMethod, Cashout.Portal.PaymentMethods.LinkPaymentMethodOutcome>(link => link.HandleAsync(Merchant,
            new Cashout.Portal.PaymentMethods.LinkPaymentMethodCommand(MerchantId, Cashout.Domain.PaymentMethods.PayoutMethod.Bank, HolderName: "Jane Doe", AccountNumber: "000123456789", Country: "US", Currency: Cashout.Domain.Monetary.Currency.USD)));
        AssertSucceeded(linked.Result);
        await RequestAsync(10_000, Cashout.Domain.PaymentMethods.PayoutMethod.Bank);

        var grid = RenderHistory();

        grid.WaitForAssertion(() => Assert.Single(grid.FindAll("a.grid-link")), TimeSpan.FromSeconds(10));
        var row = grid.Find("a.grid-link").Closest("tr")!;
        Assert.Contains("Jane Doe ···6789", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(linked.Method!.TransferInstrumentId!, row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_read_the_filter_from_the_address_and_replace_the_address_when_the_merchant_sorts()
    {
        await LinkPayoneerAsync();
        var cancelled = await RequestAsync(5_000);
        AssertSucceeded(await Use<CancelCashout, Cashout.Portal.Common.CommandResult>(c => c.HandleAsync(Merchant, cancelled.Id, reason: null)));
        await RequestAsync(6_000);

        var grid = RenderHistory("cashouts?status=Cancelled");

        grid.WaitForAssertion(() => Assert.Equal([cancelled.Id], VisibleIds(grid)), TimeSpan.FromSeconds(10));
        var navigation = (Bunit.TestDoubles.BunitNavigationManager)ui.Services.GetRequiredService<NavigationManager>();
        // The default sort (newest first) is not spelled out: the address stays as it was given.
        Assert.EndsWith("/cashouts?status=Cancelled", navigation.Uri, StringComparison.Ordinal);
        await grid.FindAll("th").Single(th => th.TextContent.Contains("Amount")).QuerySelector(".sortable-column-header")!.ClickAsync(new());
        grid.WaitForAssertion(() => Assert.EndsWith("/cashouts?status=Cancelled&sort=Amount&desc=false", navigation.Uri, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(navigation.History.First().Options.ReplaceHistoryEntry);
        Assert.Equal([cancelled.Id], VisibleIds(grid));
    }

    private IRenderedComponent<IComponent> RenderHistory(string? address = null)
    {
        ui.Services.AddMudServices();
        // The portal's own services, in a scope of their own as a circuit has.
        scope = Portal.Services.CreateAsyncScope();
        ui.Services.AddFallbackServiceProvider(scope.Value.ServiceProvider);
        ui.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = ui.AddAuthorization();
        auth.SetAuthorized(Cashout.Portal.Data.DemoSeed.MerchantEmail);
        auth.SetRoles(Cashout.Portal.Identity.PortalRoles.Merchant);
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, MerchantId));
        ui.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        if (address is not null)
        {
            ui.Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        }

        return ui.Render(builder =>
        {
            builder.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<CashoutsPage>(1);
            builder.CloseComponent();
        });
    }

    private static IReadOnlyList<long> VisibleIds(IRenderedComponent<IComponent> grid) =>
        [.. grid.FindAll("a.grid-link").Select(link => long.Parse(link.TextContent.Trim().TrimStart('#'), System.Globalization.CultureInfo.InvariantCulture))];

    protected override async Task CleanUpAsync()
    {
        await ui.DisposeAsync();
        if (scope is { } opened)
        {
            await opened.DisposeAsync();
        }
    }
}
