using Bunit;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Admin.Pages;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Cashouts.Pages;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Cashout.Portal.IntegrationTests.Portal;

/// <summary>
/// /cashouts (and the back office's /admin/cashouts) rendered with bunit over the real portal's services and SQLite
/// file: the grid asks the server for each page and for the sort the merchant clicks, instead of loading the history
/// into the browser, and keeps its filters, sort and page in the address.
/// </summary>
public sealed class CashoutHistoryGridTests : MoneyTest
{
    private readonly BunitContext ui = new();
    private AsyncServiceScope? scope;

    [Fact]
    public async Task Does_ask_the_server_for_the_next_page_and_for_the_sorted_data_when_the_merchant_pages_and_sorts()
    {
        var ids = await RequestCancelledAsync(25);

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

    [Fact]
    public async Task Does_open_the_page_and_the_sort_of_the_address_and_replace_the_address_when_the_merchant_pages()
    {
        // Sorted by amount, smallest first, the second page holds only the largest.
        var ids = await RequestCancelledAsync(21);

        var grid = RenderHistory("cashouts?sort=Amount&desc=false&page=2");

        grid.WaitForAssertion(() => Assert.Equal([ids[^1]], VisibleIds(grid)), TimeSpan.FromSeconds(10));
        var navigation = (Bunit.TestDoubles.BunitNavigationManager)ui.Services.GetRequiredService<NavigationManager>();
        Assert.EndsWith("/cashouts?sort=Amount&desc=false&page=2", navigation.Uri, StringComparison.Ordinal);
        await grid.Find("button[aria-label='Previous page']").ClickAsync(new());
        grid.WaitForAssertion(() => Assert.Equal(ids.Take(20), VisibleIds(grid)), TimeSpan.FromSeconds(10));
        // The first page is not spelled out either.
        Assert.EndsWith("/cashouts?sort=Amount&desc=false", navigation.Uri, StringComparison.Ordinal);
        Assert.True(navigation.History.First().Options.ReplaceHistoryEntry);
    }

    [Fact]
    public async Task Does_read_the_back_office_filters_from_the_address_and_replace_the_address_when_the_admin_changes_one()
    {
        await LinkPayoneerAsync();
        var demo = await RequestAsync(5_000);
        AssertSucceeded(await Use<CancelCashout, Cashout.Portal.Common.CommandResult>(c => c.HandleAsync(Merchant, demo.Id, reason: null)));
        var otherId = await CreateFundedMerchantAsync("other@merchant.test", 100_000);
        var other = await RequestAsync(9_000, merchantId: otherId);

        var grid = RenderBackOffice("admin/cashouts?merchant=other&min=60");

        grid.WaitForAssertion(() => Assert.Equal([other.Id], VisibleIds(grid)), TimeSpan.FromSeconds(10));
        Assert.Equal("other", grid.Find("#filter-merchant").GetAttribute("value"));
        Assert.Equal("60.00", grid.Find("#filter-min").GetAttribute("value"));
        var navigation = (Bunit.TestDoubles.BunitNavigationManager)ui.Services.GetRequiredService<NavigationManager>();
        Assert.EndsWith("/admin/cashouts?merchant=other&min=60", navigation.Uri, StringComparison.Ordinal);

        await grid.Find("#filter-merchant").ChangeAsync(new ChangeEventArgs { Value = "" });
        grid.WaitForAssertion(() => Assert.EndsWith("/admin/cashouts?min=60", navigation.Uri, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await grid.Find("#filter-min").ChangeAsync(new ChangeEventArgs { Value = "40" });
        grid.WaitForAssertion(() => Assert.Equal([other.Id, demo.Id], VisibleIds(grid)), TimeSpan.FromSeconds(10));
        Assert.EndsWith("/admin/cashouts?min=40", navigation.Uri, StringComparison.Ordinal);
        Assert.True(navigation.History.First().Options.ReplaceHistoryEntry);
    }

    [Fact]
    public async Task Does_ignore_what_it_does_not_understand_in_the_address_and_leave_an_unfiltered_grid_at_its_bare_address()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(5_000);

        var grid = RenderBackOffice("admin/cashouts?status=Lost&method=pigeon&from=2026-13-01&min=-5&max=lots&age=5&sort=Fee&page=0&merchant=%20");

        grid.WaitForAssertion(() => Assert.Equal([cashout.Id], VisibleIds(grid)), TimeSpan.FromSeconds(10));
        var navigation = ui.Services.GetRequiredService<NavigationManager>();
        grid.WaitForAssertion(() => Assert.EndsWith("/admin/cashouts", navigation.Uri, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal("", grid.Find("#filter-age").GetAttribute("value") ?? "");
    }

    /// <summary>Cashouts of growing amounts, each cancelled so the next may be requested at once; their ids, oldest first.</summary>
    private async Task<List<long>> RequestCancelledAsync(int count)
    {
        await LinkPayoneerAsync();
        var ids = new List<long>();
        for (var i = 1; i <= count; i++)
        {
            var cashout = await RequestAsync(5_000 + i * 100);
            ids.Add(cashout.Id);
            AssertSucceeded(await Use<CancelCashout, Cashout.Portal.Common.CommandResult>(c => c.HandleAsync(Merchant, cashout.Id, reason: null)));
        }

        return ids;
    }

    private IRenderedComponent<IComponent> RenderHistory(string? address = null) =>
        RenderAs<CashoutsPage>(Cashout.Portal.Identity.PortalRoles.Merchant, MerchantId, Cashout.Portal.Data.DemoSeed.MerchantEmail, address);

    private IRenderedComponent<IComponent> RenderBackOffice(string? address = null) =>
        RenderAs<AdminCashoutsPage>(Cashout.Portal.Identity.PortalRoles.Admin, AdminId, Cashout.Portal.Data.DemoSeed.AdminEmail, address);

    private IRenderedComponent<IComponent> RenderAs<TPage>(string role, string userId, string email, string? address)
        where TPage : IComponent
    {
        ui.Services.AddMudServices();
        // The portal's own services, in a scope of their own as a circuit has.
        scope = Portal.Services.CreateAsyncScope();
        ui.Services.AddFallbackServiceProvider(scope.Value.ServiceProvider);
        // The back office's actions toast and open dialogs with bunit's MudBlazor services, not the portal's (no circuit started those).
        ui.Services.AddScoped(_ => ActivatorUtilities.CreateInstance<Cashout.Portal.Components.Dialogs.PageWrites>(ui.Services));
        ui.Services.AddScoped(_ => ActivatorUtilities.CreateInstance<Cashout.Portal.Admin.Cashouts.AdminCashoutActions>(ui.Services));
        ui.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = ui.AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetRoles(role);
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, userId));
        ui.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        if (address is not null)
        {
            ui.Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        }

        return ui.Render(builder =>
        {
            builder.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(1);
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
