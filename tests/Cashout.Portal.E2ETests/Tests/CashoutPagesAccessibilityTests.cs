using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>axe-core audits of the cashout pages, merchant and back office, with a cashout in flight, in every look.</summary>
public sealed class CashoutPagesAccessibilityTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
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
        // A cashout still in its review window, so the grid's and the details page's actions are on screen.
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        var (_, id) = await data.RequestCashoutForNewMerchantAsync(7_500, reviewed: false);
        await AuditAsync(session, "admin-cashouts", async () =>
        {
            await cashouts.GotoAsync();
            await Expect(cashouts.Action("Cancel", id)).ToBeVisibleAsync();
        });
        await AuditAsync(session, "admin-cashout-details", async () => await new CashoutDetailsPage(page).GotoAsync(id, admin: true));
    });

    private Task AuditAsync(BrowserSession session, string name, Func<Task> open) =>
        AxeAudit.AssertNoSeriousViolationsInEveryLookAsync(session, name, open, Output.WriteLine);
}
