using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>axe-core audits of every merchant page and the back office's cashout pages, at desktop and phone width.</summary>
public sealed class CashoutPagesAccessibilityTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public Task Merchant_pages_have_no_serious_accessibility_violations_at_desktop_and_phone_width() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await MerchantFlows.SignInReadyToCashOutAsync(page);
        var id = await MerchantFlows.RequestCashoutAsync(page, "120");
        var dashboard = new DashboardPage(page);
        var form = new NewCashoutPage(page);

        await AuditAsync(session, "dashboard", async () => await dashboard.GotoAsync());
        await AuditAsync(session, "payment-methods", async () => await new PaymentMethodsPage(page).GotoAsync());
        await AuditAsync(session, "cashout-new", async () =>
        {
            await form.GotoAsync();
            await form.EnterAmountAsync("60");
            await Expect(form.Summary).ToContainTextAsync("Pending cashout exists");
        });
        await AuditAsync(session, "cashouts", async () =>
        {
            var history = new CashoutHistoryPage(page);
            await history.GotoAsync();
            await Expect(history.RowFor(id)).ToBeVisibleAsync();
        });
        var details = new CashoutDetailsPage(page);
        await AuditAsync(session, "cashout-details", async () => await details.GotoAsync(id));

        await page.SetViewportSizeAsync(1366, 900);
        await details.GotoAsync(id);
        await details.CancelAsMerchantAsync();
    });

    [Fact]
    public Task Admin_cashout_pages_have_no_serious_accessibility_violations_when_audited() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Admin);
        var cashouts = new AdminCashoutsPage(page);
        await AuditAsync(session, "admin-cashouts", async () =>
        {
            await cashouts.GotoAsync();
            await Expect(cashouts.Grid).ToBeVisibleAsync();
        });
    });

    /// <summary>Opens the page at desktop width and at a phone's, audits both, and keeps a screenshot of each.</summary>
    private async Task AuditAsync(BrowserSession session, string name, Func<Task> open)
    {
        await session.Page.SetViewportSizeAsync(1366, 900);
        await open();
        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);

        await session.Page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await open();
        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);
        await session.ScreenshotAsync($"{name}-phone");
    }
}
