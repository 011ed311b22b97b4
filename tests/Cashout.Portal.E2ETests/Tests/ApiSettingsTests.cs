using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

public sealed partial class ApiSettingsTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Merchant_rotates_api_credentials_after_step_up_and_sees_the_secrets_once() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        var settings = new ApiSettingsPage(page);
        await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Merchant);
        await settings.GotoAsync();
        // The demo merchant has the seeded demo credentials: the page shows the login, never the pass.
        await Expect(page.GetByText("demo_login", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("demo_pass")).ToHaveCountAsync(0);

        // The step-up form confirms it's the merchant and comes back here (a fresh sign-in would count as one too,
        // for five minutes: the form is what an older session meets).
        await page.GotoAsync("Account/StepUp?returnUrl=%2Fsettings%2Fapi");
        await Expect(page).ToHaveURLAsync(StepUpUrl());
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoUsers.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await settings.ExpectLoadedAsync();

        await BlazorCircuit.WaitUntilInteractiveAsync(settings.RotateButton);
        await settings.RotateButton.ClickAsync();
        await settings.ConfirmRotateButton.ClickAsync();

        await Expect(settings.IssuedPass).ToBeVisibleAsync();
        var login = await settings.IssuedLogin.InnerTextAsync();
        var pass = await settings.IssuedPass.InnerTextAsync();
        Assert.StartsWith("lg_", login, StringComparison.Ordinal);
        Assert.Equal(32, pass.Length);
        Assert.StartsWith("sig_", await settings.IssuedSecret.InnerTextAsync(), StringComparison.Ordinal);
        await session.ScreenshotAsync("api-settings-issued");
        await AxeAudit.AssertNoSeriousViolationsAsync(page, Output.WriteLine);

        await settings.CopiedButton.ClickAsync();
        await Expect(settings.IssuedPass).ToHaveCountAsync(0);

        // Shown once: after a reload only the login is there.
        await page.ReloadAsync();
        await settings.ExpectLoadedAsync();
        await Expect(page.GetByText(login, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText(pass)).ToHaveCountAsync(0);
        await Expect(page.GetByText("demo_login", new() { Exact = true })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Merchant_saves_a_webhook_endpoint_and_queues_a_test_event() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        var settings = new ApiSettingsPage(page);
        await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Merchant);
        await settings.GotoAsync();

        await BlazorCircuit.WaitUntilInteractiveAsync(settings.SaveEndpointButton);
        await settings.EndpointUrl.FillAsync("http://127.0.0.1:9/webhooks");
        await settings.SaveEndpointButton.ClickAsync();
        await Expect(page.GetByTestId("webhook-secret")).ToContainTextAsync("whsec_");

        await settings.SendTestButton.ClickAsync();
        await Expect(settings.Deliveries.GetByRole(AriaRole.Row).Filter(new() { HasText = "webhook.test" })).ToHaveCountAsync(1);
        await session.ScreenshotAsync("api-settings-webhook");
        await AxeAudit.AssertNoSeriousViolationsAsync(page, Output.WriteLine);
    });

    [GeneratedRegex("/Account/StepUp", RegexOptions.IgnoreCase)]
    private static partial Regex StepUpUrl();
}
