using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

public sealed class VerificationTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task New_merchant_is_verified_after_submitting_business_details_and_the_admin_approving_them() => InBrowserAsync(async merchant =>
    {
        var email = $"shop-{Guid.NewGuid():N}"[..13] + "@example.test";
        const string password = "Fresh-Merchant-2026";
        await new RegisterPage(merchant.Page).RegisterAsync(email, password);
        var mailbox = new MailboxPage(merchant.Page);
        await mailbox.GotoAsync();
        await (await mailbox.OpenAsync(email, "Confirm your email")).GetByRole(AriaRole.Link, new() { Name = "Confirm email" }).ClickAsync();
        await Expect(merchant.Page.GetByRole(AriaRole.Heading, new() { Name = "Email confirmed", Level = 1 })).ToBeVisibleAsync();
        var login = new LoginPage(merchant.Page);
        await login.GotoAsync();
        await login.SignInAsync(email, password);
        await new ShellPage(merchant.Page).ExpectSignedInAsAsync(email);

        // The dashboard says what is missing and links to where to fix it.
        var banner = VerificationPage.Banner(merchant.Page);
        await Expect(banner).ToContainTextAsync("Account verification required.");
        await merchant.ScreenshotAsync("verification-banner");
        await AxeAudit.AssertNoSeriousViolationsAsync(merchant.Page, Output.WriteLine);
        await banner.GetByRole(AriaRole.Link, new() { Name = "Submit business details" }).ClickAsync();
        var verification = new VerificationPage(merchant.Page);
        await Expect(verification.Heading).ToBeVisibleAsync();
        await merchant.Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Expect(merchant.Page.GetByText("Enter the business's legal name.")).ToBeVisibleAsync();
        await merchant.ScreenshotAsync("verification-form-errors");
        await AxeAudit.AssertNoSeriousViolationsAsync(merchant.Page, Output.WriteLine);
        await verification.SubmitAsync("Fresh Shop Ltd", "United Kingdom", "Frida Fresh", "+44 20 7946 0958");
        await Expect(verification.Status).ToHaveTextAsync("In review");
        await merchant.ScreenshotAsync("verification-submitted");

        await using (var admin = await Fixture.NewSessionAsync(nameof(New_merchant_is_verified_after_submitting_business_details_and_the_admin_approving_them) + "-admin", Output))
        {
            await new LoginPage(admin.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
            var merchants = new AdminMerchantsPage(admin.Page);
            await merchants.GotoAsync();
            await Expect(merchants.Submission(email)).ToContainTextAsync("Fresh Shop Ltd");
            await admin.ScreenshotAsync("admin-verification-queue");
            await merchants.ApproveAsync(email);
            await Expect(merchants.Submission(email)).ToHaveCountAsync(0);

            var audit = new AdminAuditPage(admin.Page);
            await audit.GotoAsync();
            await Expect(audit.Grid.GetByRole(AriaRole.Row).Filter(new() { HasText = "merchant.approved" }).Filter(new() { HasText = email })).ToHaveCountAsync(1);
            await audit.VerifyChainAsync();
            await Expect(audit.ChainReport).ToContainTextAsync("The chain is intact.");
            await admin.ScreenshotAsync("admin-audit");
        }

        await merchant.Page.GotoAsync("");
        await new ShellPage(merchant.Page).ExpectSignedInAsAsync(email);
        await Expect(merchant.Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(banner).ToHaveCountAsync(0);
        // The next step instead: link a payout method.
        var linkPrompt = merchant.Page.GetByTestId("link-method-prompt");
        await Expect(linkPrompt.GetByRole(AriaRole.Link, new() { Name = "Link a payout method" })).ToHaveAttributeAsync("href", "payment-methods");
        await merchant.ScreenshotAsync("dashboard-link-a-payout-method");
        await verification.GotoAsync();
        await Expect(verification.Status).ToHaveTextAsync("Verified");
        await merchant.ScreenshotAsync("verification-verified");

        // Verified, the merchant can now link a payout method (through the step-up with its own password).
        var methods = new PaymentMethodsPage(merchant.Page);
        await methods.EnsurePayoneerLinkedAsync("payouts@example.test", password: password);
        await Expect(methods.Card("payoneer").Locator(".method-state").GetByText("Linked", new() { Exact = true })).ToBeVisibleAsync();
        await new DashboardPage(merchant.Page).GotoAsync();
        await Expect(linkPrompt).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Declines_page_lists_a_declined_request_for_the_admin() => InBrowserAsync(async session =>
    {
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);

        await session.Page.GotoAsync("admin/declines");

        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Declined attempts", Level = 1 })).ToBeVisibleAsync();
        await Expect(session.Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table)).ToBeVisibleAsync();
        await session.ScreenshotAsync("admin-declines");
    });
}
