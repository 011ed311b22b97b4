using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

public sealed class AdminMerchantsTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Admin_sees_the_merchants_grid_after_signing_in() => InBrowserAsync(async session =>
    {
        var merchants = new AdminMerchantsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);

        await merchants.GotoAsync();

        await merchants.ExpectLoadedAsync();
        await Expect(merchants.RowFor(DemoUsers.Merchant)).ToBeVisibleAsync();
        await Expect(merchants.RowFor(DemoUsers.Admin)).ToHaveCountAsync(0);
        await session.ScreenshotAsync("admin-merchants");
    });

    [Fact]
    public Task Admin_opens_the_merchants_when_clicking_the_dashboard_button() => InBrowserAsync(async session =>
    {
        var merchants = new AdminMerchantsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        var openMerchants = session.Page.GetByRole(AriaRole.Link, new() { Name = "Open merchants" });

        // A real link: it works the moment it is on screen, before the circuit is up.
        await openMerchants.ClickAsync();

        await merchants.ExpectLoadedAsync();
    });

    [Fact]
    public Task Merchant_is_refused_when_opening_the_admin_merchants_page() => InBrowserAsync(async session =>
    {
        var merchants = new AdminMerchantsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Merchant);

        await merchants.GotoAsync();

        await Expect(merchants.AccessDenied).ToBeVisibleAsync();
        await Expect(merchants.Heading).ToHaveCountAsync(0);
        await Expect(merchants.Grid).ToHaveCountAsync(0);
        await Expect(session.Page.GetByText(DemoUsers.Newcomer)).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Admin_credits_a_sale_to_available_through_the_fund_dialog_and_sees_the_new_balance() => InBrowserAsync(async session =>
    {
        var merchants = new AdminMerchantsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        await merchants.GotoAsync();
        await merchants.ExpectLoadedAsync();
        // The newcomer, not the demo merchant: other flows rely on the demo merchant holding exactly $5,000.00.
        var dialog = await merchants.OpenFundDialogAsync(DemoUsers.Newcomer);
        await dialog.GetByLabel("Amount", new() { Exact = true }).FillAsync("abc");
        await dialog.GetByLabel("Description", new() { Exact = true }).FillAsync("Sales of week 12");
        await dialog.GetByText("Available now (a settled sale)").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Credit" }).ClickAsync();
        await Expect(dialog.GetByText("Enter an amount as a number")).ToBeVisibleAsync();
        await session.ScreenshotAsync("admin-fund-dialog");
        await dialog.GetByLabel("Amount", new() { Exact = true }).FillAsync("250.00");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Credit" }).ClickAsync();

        await Expect(session.Page.GetByText($"$250.00 credited to {DemoUsers.Newcomer} (available).")).ToBeVisibleAsync();
        await Expect(merchants.RowFor(DemoUsers.Newcomer)).ToContainTextAsync("$250.00 available");
    });
}
