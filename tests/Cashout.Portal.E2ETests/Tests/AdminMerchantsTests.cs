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
        var openMerchants = session.Page.GetByRole(AriaRole.Button, new() { Name = "Open merchants" });

        // A Blazor event handler: it only works once the circuit has attached it.
        await BlazorCircuit.WaitUntilInteractiveAsync(openMerchants);
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
}
