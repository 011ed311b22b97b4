using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

public sealed class SignInTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Login_page_shows_the_sign_in_form_when_anonymous() => InBrowserAsync(async session =>
    {
        var login = new LoginPage(session.Page);

        await login.GotoAsync();

        await Expect(login.Password).ToBeVisibleAsync();
        await Expect(login.SubmitButton).ToBeEnabledAsync();
        await session.ScreenshotAsync("login");
    });

    [Fact]
    public Task Anonymous_visitor_is_sent_to_login_when_opening_a_protected_page() => InBrowserAsync(async session =>
    {
        await new AdminMerchantsPage(session.Page).GotoAsync();

        await new LoginPage(session.Page).ExpectLoadedAsync();
        Assert.Contains("ReturnUrl=%2Fadmin%2Fmerchants", session.Page.Url, StringComparison.OrdinalIgnoreCase);
    });

    [Fact]
    public Task Merchant_sees_the_shell_after_signing_in() => InBrowserAsync(async session =>
    {
        var login = new LoginPage(session.Page);
        var shell = new ShellPage(session.Page);

        await login.GotoAsync();
        await login.SignInAsync(DemoUsers.Merchant, DemoUsers.Password);

        await shell.ExpectSignedInAsAsync(DemoUsers.Merchant);
        await Expect(shell.SignOutButton).ToBeVisibleAsync();
        await session.ScreenshotAsync("merchant-shell");
        await Expect(shell.Navigation).ToBeVisibleAsync();
        await Expect(shell.NavigationLink("Dashboard")).ToBeVisibleAsync();
        await Expect(shell.NavigationLink("Merchants")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Login_shows_an_error_and_stays_when_the_password_is_wrong() => InBrowserAsync(async session =>
    {
        var login = new LoginPage(session.Page);

        await login.GotoAsync();
        await login.SignInAsync(DemoUsers.Newcomer, "Not-the-password-1");

        await Expect(login.Error).ToBeVisibleAsync();
        await Expect(login.Error).ToContainTextAsync("not correct");
        await login.ExpectLoadedAsync();
        await Expect(new ShellPage(session.Page).SignedInUser).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Merchant_returns_to_the_login_page_after_signing_out() => InBrowserAsync(async session =>
    {
        var login = new LoginPage(session.Page);
        var shell = await login.SignInAsDemoUserAsync(DemoUsers.Merchant);

        await shell.SignOutAsync();

        await login.ExpectLoadedAsync();
        await session.Page.GotoAsync("/");
        await login.ExpectLoadedAsync();
    });
}
