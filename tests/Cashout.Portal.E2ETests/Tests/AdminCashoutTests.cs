using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// The back office acts on a merchant's cashout while the merchant has it open in another browser: the merchant's
/// page follows every change live (CashoutChanges), without a reload.
/// </summary>
public sealed class AdminCashoutTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Admin_holds_releases_and_cancels_a_cashout_while_the_merchant_watches_it_live() => InBrowserAsync(async merchant =>
    {
        var merchantPage = merchant.Page;
        var dashboard = new DashboardPage(merchantPage);
        await MerchantFlows.SignInReadyToCashOutAsync(merchantPage);
        var id = await MerchantFlows.RequestCashoutAsync(merchantPage, "250");
        var watched = new CashoutDetailsPage(merchantPage);
        await watched.GotoAsync(id);
        await Expect(watched.Status).ToHaveTextAsync("Pending");
        // Marks this document: a reload would drop it, so its presence at the end proves no reload happened.
        await merchantPage.EvaluateAsync("() => window.__sameDocument = true");

        await using var admin = await Fixture.NewSessionAsync(nameof(Admin_holds_releases_and_cancels_a_cashout_while_the_merchant_watches_it_live) + "-admin", Output);
        await admin.RunAsync(async adminPage =>
        {
            await new LoginPage(adminPage).SignInAsDemoUserAsync(DemoUsers.Admin);
            var cashouts = new AdminCashoutsPage(adminPage);
            await cashouts.GotoAsync();
            await AxeAudit.AssertNoSeriousViolationsAsync(adminPage, Output.WriteLine);
            await admin.ScreenshotAsync("admin-cashouts");
            await cashouts.WithReasonAsync("Hold", id, "Payee name does not match the account", "Put on hold");
            await Expect(adminPage.GetByText($"Cashout #{id} is on hold")).ToBeVisibleAsync();
            await Expect(cashouts.Action("Release", id)).ToBeVisibleAsync();
        });

        await Expect(watched.Status).ToHaveTextAsync("ON HOLD");
        await Expect(watched.HoldBanner).ToContainTextAsync("Payee name does not match the account");
        await Expect(watched.Timeline).ToContainTextAsync("Pending → On hold");
        await merchant.ScreenshotAsync("merchant-sees-on-hold");

        await admin.RunAsync(async adminPage =>
        {
            var cashouts = new AdminCashoutsPage(adminPage);
            await cashouts.ReleaseAsync(id);
            await Expect(cashouts.Action("Hold", id)).ToBeVisibleAsync();
        });
        await Expect(watched.Status).ToHaveTextAsync("Pending");
        await Expect(watched.HoldBanner).ToHaveCountAsync(0);

        await admin.RunAsync(async adminPage =>
        {
            var cashouts = new AdminCashoutsPage(adminPage);
            await cashouts.WithReasonAsync("Cancel", id, "Requested by the merchant over the phone", "Cancel cashout");
            var details = new CashoutDetailsPage(adminPage);
            await details.GotoAsync(id, admin: true);
            await Expect(details.Status).ToHaveTextAsync("Cancelled");
            await Expect(details.Timeline).ToContainTextAsync("Requested by the merchant over the phone");
            await AxeAudit.AssertNoSeriousViolationsAsync(adminPage, Output.WriteLine);
            await admin.ScreenshotAsync("admin-cashout-details");
        });

        await Expect(watched.Status).ToHaveTextAsync("Cancelled");
        Assert.True(await merchantPage.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The merchant's page was reloaded.");
        await dashboard.GotoAsync();
        await Expect(dashboard.Available("USD")).ToHaveTextAsync("$5,000.00");
    });
}
