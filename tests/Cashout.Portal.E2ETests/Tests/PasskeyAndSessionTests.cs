using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Cashout.Portal.Identity;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// Passkeys end to end with Chromium's virtual authenticator, and sessions ended from another browser. Each test has
/// people of its own (PortalData), so no other test's session of the demo accounts is touched.
/// </summary>
public sealed partial class PasskeyAndSessionTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Merchant_adds_a_passkey_on_the_security_page_signs_out_and_signs_in_with_it() =>
        SignedInWithAuthenticatorAsync(PortalRoles.Merchant, async (session, email) =>
        {
            var page = session.Page;
            var security = new SecurityPage(page);
            await security.GotoAsync();
            await Expect(page.GetByText("No passkeys yet.")).ToBeVisibleAsync();
            await security.AddPasskeyAsync("E2E laptop");
            await Expect(security.Passkeys).ToHaveCountAsync(1);
            await session.ScreenshotAsync("settings-security-with-passkey");

            await new ShellPage(page).SignOutAsync();
            var login = new LoginPage(page);
            await login.ExpectLoadedAsync();
            await login.PasskeyButton.ClickAsync();

            await new ShellPage(page).ExpectSignedInAsAsync(email);
            await Expect(page).Not.ToHaveURLAsync(LoginUrl());
        });

    [Fact]
    public Task Admin_without_an_authenticator_app_reaches_the_back_office_after_signing_in_with_a_passkey() =>
        SignedInWithAuthenticatorAsync(PortalRoles.Admin, async (session, _) =>
        {
            var page = session.Page;
            var login = new LoginPage(page);
            await page.GotoAsync("admin/cashouts");
            await Expect(page).ToHaveURLAsync(new Regex("Account/Manage/EnableAuthenticator"));

            var security = new SecurityPage(page);
            await security.GotoAsync();
            await security.AddPasskeyAsync("Ops security key");
            // A password session stays a password session: the back office still wants a second factor.
            await page.GotoAsync("admin/cashouts");
            await Expect(page).ToHaveURLAsync(new Regex("Account/Manage/EnableAuthenticator"));

            await security.GotoAsync();
            await new ShellPage(page).SignOutAsync();
            await login.ExpectLoadedAsync();
            await login.PasskeyButton.ClickAsync();
            await Expect(page).Not.ToHaveURLAsync(LoginUrl());
            await page.GotoAsync("admin/cashouts");

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cashouts", Level = 1 })).ToBeVisibleAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/admin/cashouts$"));
        });

    [Fact]
    public async Task Passkey_on_an_ip_address_is_refused_by_the_browser_and_the_page_says_to_use_the_host_name()
    {
        var email = await NewUserAsync(PortalRoles.Merchant);
        await InBrowserAsync(async session =>
        {
            await VirtualAuthenticator.AddAsync(session.Page);
            await SignInAsync(session.Page, email);
            var security = new SecurityPage(session.Page);
            await security.GotoAsync();

            await security.AddPasskeyButton.ClickAsync();

            await Expect(session.Page.GetByText("Passkeys need the portal's host name, not an IP address")).ToBeVisibleAsync();
            await Expect(security.Passkeys).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Session_ended_from_another_browser_is_signed_out_at_its_next_request()
    {
        var email = await NewUserAsync(PortalRoles.Merchant);
        await using var other = await Fixture.NewSessionAsync(nameof(Session_ended_from_another_browser_is_signed_out_at_its_next_request) + "-other", Output);
        await InBrowserAsync(async session =>
        {
            await SignInAsync(other.Page, email);
            // The other browser keeps its cookie but no open page: its next request, not its open circuit (which is
            // signed out at once, see the lock test below), is what meets the ended session.
            await other.Page.GotoAsync("about:blank");
            await SignInAsync(session.Page, email);

            var security = new SecurityPage(session.Page);
            await security.GotoAsync();
            await Expect(security.Sessions).ToHaveCountAsync(2);
            await Expect(security.Sessions.Filter(new() { HasText = "This device" })).ToHaveCountAsync(1);
            await session.ScreenshotAsync("settings-security-two-sessions");
            await security.SignOutOtherSessionButtons.ClickAsync();
            await Expect(security.Sessions).ToHaveCountAsync(1);

            await other.Page.GotoAsync("cashouts");

            await new LoginPage(other.Page).ExpectLoadedAsync();
            await session.Page.ReloadAsync();
            await Expect(security.Heading).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Admin_locks_a_person_with_a_reason_at_admin_users_and_its_open_session_is_signed_out()
    {
        var email = await NewUserAsync(PortalRoles.Merchant);
        await using var person = await Fixture.NewSessionAsync(nameof(Admin_locks_a_person_with_a_reason_at_admin_users_and_its_open_session_is_signed_out) + "-person", Output);
        await InBrowserAsync(async session =>
        {
            await SignInAsync(person.Page, email);
            await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
            var users = new AdminUsersPage(session.Page);
            await users.GotoAsync();

            await users.ActAsync(email, "Lock account", "Chargeback fraud under review", confirm: "Lock account");

            await Expect(session.Page.GetByText($"{email} is locked and signed out.")).ToBeVisibleAsync();
            await Expect(users.RowFor(email).GetByText("Locked", new() { Exact = true })).ToBeVisibleAsync();
            await session.ScreenshotAsync("admin-users-locked");
            // The person's open page goes to the sign-in page by itself: no request of its own is needed.
            await new LoginPage(person.Page).ExpectLoadedAsync();
            await person.Page.GotoAsync("cashouts");
            await new LoginPage(person.Page).ExpectLoadedAsync();
        });
    }

    private async Task<string> NewUserAsync(string role)
    {
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        return await data.CreateUserAsync(role);
    }

    /// <summary>A new person of <paramref name="role"/> signed in with the password, in a browser with a virtual authenticator.</summary>
    private async Task SignedInWithAuthenticatorAsync(string role, Func<BrowserSession, string, Task> body, [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        var email = await NewUserAsync(role);
        await using var session = await Fixture.NewSessionAsync(testName, Output, VirtualAuthenticator.OnLocalhost(Fixture.BaseUrl));
        await session.RunAsync(async page =>
        {
            await VirtualAuthenticator.AddAsync(page);
            await SignInAsync(page, email);
            await body(session, email);
        });
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        var login = new LoginPage(page);
        await login.GotoAsync();
        await login.SignInAsync(email, DemoUsers.Password);
        await new ShellPage(page).ExpectSignedInAsAsync(email);
    }

    [GeneratedRegex(@"/Account/Login", RegexOptions.IgnoreCase)]
    private static partial Regex LoginUrl();
}
