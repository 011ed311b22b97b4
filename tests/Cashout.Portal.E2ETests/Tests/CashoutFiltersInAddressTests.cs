using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// Both cashout grids keep their filters in the address (issue 17): a filtered grid reloaded, at a phone's width and a
/// laptop's, shows the same rows and the same filters, with each row's amount and status on screen.
/// </summary>
public sealed class CashoutFiltersInAddressTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Merchant_filters_the_history_reloads_it_and_sees_the_same_rows_and_filters() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await MerchantFlows.SignInReadyToCashOutAsync(page);
        var id = await MerchantFlows.RequestCashoutAsync(page, "60");
        var details = new CashoutDetailsPage(page);
        await details.GotoAsync(id);
        await details.CancelAsMerchantAsync();
        var history = new CashoutHistoryPage(page);
        await history.GotoAsync();

        await history.Filters.PickAsync("Status", "Cancelled");

        await Expect(page).ToHaveURLAsync(new Regex(@"/cashouts\?status=Cancelled$"));
        await Expect(history.Rows.Filter(new() { HasNotText = "Cancelled" })).ToHaveCountAsync(0);
        await Expect(history.RowFor(id)).ToBeVisibleAsync();
        var filtered = await history.VisibleIdsAsync();
        await ReloadAtEveryWidthAsync(session, "cashouts-filtered-reloaded", async () =>
        {
            await Expect(history.Heading).ToBeVisibleAsync();
            await Expect(history.Filters.Field("Status")).ToHaveValueAsync("Cancelled");
            await Expect(history.RowFor(id)).ToBeVisibleAsync();
            Assert.Equal(filtered, await history.VisibleIdsAsync());
            await CashoutGridRows.ExpectAmountAndStatusShownAsync(history.Rows);
        });
    });

    [Fact]
    public Task Admin_filters_all_cashouts_reloads_them_and_sees_the_same_rows_and_filters() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        var (email, id) = await data.RequestCashoutForNewMerchantAsync(7_500, reviewed: false);
        await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Admin);
        var cashouts = new AdminCashoutsPage(page);
        await cashouts.GotoAsync();

        await cashouts.Filters.TypeAsync("Merchant email", email);
        await cashouts.Filters.TypeAsync("Min amount", "70");

        await Expect(page).ToHaveURLAsync(new Regex(@"/admin/cashouts\?merchant=[^&]+&min=70$"));
        await Expect(cashouts.Rows).ToHaveCountAsync(1);
        await Expect(cashouts.Action("Cancel", id)).ToBeVisibleAsync();
        await ReloadAtEveryWidthAsync(session, "admin-cashouts-filtered-reloaded", async () =>
        {
            await Expect(cashouts.Heading).ToBeVisibleAsync();
            await Expect(cashouts.Filters.Field("Merchant email")).ToHaveValueAsync(email);
            await Expect(cashouts.Filters.Field("Min amount")).ToHaveValueAsync("70.00");
            await Expect(cashouts.Rows).ToHaveCountAsync(1);
            await Expect(cashouts.Action("Cancel", id)).ToBeVisibleAsync();
            await CashoutGridRows.ExpectAmountAndStatusShownAsync(cashouts.Rows);
        });
    });

    /// <summary>Reloads the page at a phone's width, a tablet's and two laptops', checks it each time and keeps a screenshot of each.</summary>
    private static async Task ReloadAtEveryWidthAsync(BrowserSession session, string name, Func<Task> expectSameView)
    {
        foreach (var (look, width, height) in new[] { ("phone", 390, 844), ("tablet", 768, 1024), ("small-laptop", 1024, 768), ("desktop", 1366, 900) })
        {
            await session.Page.SetViewportSizeAsync(width, height);
            await session.Page.ReloadAsync();
            await BlazorCircuit.WaitForCircuitAsync(session.Page);
            await expectSameView();
            if (width >= 1280)
            {
                await CashoutGridRows.ExpectWholeTableAsync(session.Page);
            }

            await session.ScreenshotAsync($"{name}-{look}");
        }
    }
}
