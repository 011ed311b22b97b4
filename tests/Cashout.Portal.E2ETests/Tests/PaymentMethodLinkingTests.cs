using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>Linking asks the provider (here the portal's sandbox over loopback HTTP) before anything is written.</summary>
public sealed class PaymentMethodLinkingTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Merchant_sees_the_providers_refusal_next_to_the_payee_email_and_nothing_is_linked_when_tipalti_does_not_know_the_account() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Merchant);
        var methods = new PaymentMethodsPage(page);
        await methods.GotoAsync();

        await methods.OpenLinkDialogAsync("Tipalti");
        await methods.Dialog.GetByLabel("Payee email (or a payee id below)").FillAsync("billing+invalid@example.com");
        await methods.Dialog.GetByRole(AriaRole.Button, new() { Name = "Link Tipalti", Exact = true }).ClickAsync();

        const string refusal = "Tipalti could not verify this account: The payee account does not exist.";
        await Expect(methods.Dialog.Locator("#link-payee-email-message")).ToHaveTextAsync(refusal);
        await session.ScreenshotAsync("link-refused-by-provider");
        await AxeAudit.AssertNoSeriousViolationsAsync(page, Output.WriteLine);
        await methods.Dialog.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true }).ClickAsync();
        await Expect(methods.Dialog).ToBeHiddenAsync();
        await Expect(methods.Card("tipalti")).Not.ToContainTextAsync("billing+invalid@example.com");
        await Expect(methods.LinkButton("Tipalti")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Merchant_opens_the_link_dialog_right_after_signing_in_without_typing_the_password_again() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Merchant);
        var methods = new PaymentMethodsPage(page);
        await methods.GotoAsync();

        // A fresh sign-in is a recent authentication: no "Confirm it's you" page before the dialog.
        await BlazorCircuit.WaitUntilInteractiveAsync(methods.LinkButton("Tipalti"));
        await methods.LinkButton("Tipalti").ClickAsync();

        await Expect(methods.Dialog).ToBeVisibleAsync();
        await Expect(new StepUpPage(page).Heading).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/payment-methods$"));
    });
}
