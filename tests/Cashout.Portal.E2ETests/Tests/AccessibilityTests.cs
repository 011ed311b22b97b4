using System.Collections.Concurrent;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// axe-core audits of every page, at a laptop's and a phone's width, in light and dark mode: no serious or critical
/// violation (DESIGN.md section 5). Each look leaves a screenshot in artifacts/screenshots.
/// </summary>
public sealed class AccessibilityTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    // Each demo user signs in once for this class and every audit starts from that session's cookies: the audits
    // only read pages, and xUnit runs this class's tests one after another, so nothing ends the session meanwhile.
    private static readonly ConcurrentDictionary<string, Task<string>> SignedIn = new();

    [Theory]
    [InlineData("Account/Login", "Sign in")]
    [InlineData("Account/Register", "Create your merchant account")]
    [InlineData("Account/ForgotPassword", "Forgot your password?")]
    [InlineData("does-not-exist", "Page not found")]
    public Task Public_page_has_no_serious_accessibility_violations_in_any_look(string path, string heading) => InBrowserAsync(async session =>
    {
        await session.Page.GotoAsync(path);

        await AuditAsync(session, "public", path, heading);
    });

    [Theory]
    [InlineData("", "Dashboard")]
    [InlineData("verification", "Account verification")]
    [InlineData("settings/api", "API settings")]
    [InlineData("settings/security", "Profile and security")]
    [InlineData("Account/Manage", "Profile")]
    [InlineData("Account/Manage/TwoFactorAuthentication", "Two-factor authentication")]
    [InlineData("Account/StepUp", "Confirm it's you")]
    [InlineData("dev/mail", "Mailbox")]
    public async Task Merchant_page_has_no_serious_accessibility_violations_in_any_look(string path, string heading) =>
        await InBrowserAsync(await SignedInAsync(DemoUsers.Merchant), session => AuditAsync(session, "merchant", path, heading));

    [Theory]
    [InlineData("", "Back office")]
    [InlineData("admin/merchants", "Merchants")]
    [InlineData("admin/declines", "Declined attempts")]
    [InlineData("admin/users", "Users")]
    [InlineData("settings/security", "Profile and security")]
    [InlineData("admin/audit", "Audit log")]
    [InlineData("admin/jobs", "Jobs")]
    [InlineData("admin/emails", "Emails")]
    public async Task Admin_page_has_no_serious_accessibility_violations_in_any_look(string path, string heading) =>
        await InBrowserAsync(await SignedInAsync(DemoUsers.Admin), session => AuditAsync(session, "admin", path, heading));

    /// <summary>The storage state of <paramref name="email"/> signed in on this fixture's portal, signing in the first time.</summary>
    private Task<string> SignedInAsync(string email) =>
        SignedIn.GetOrAdd($"{Fixture.BaseUrl} {email}", async _ =>
        {
            await using var session = await Fixture.NewSessionAsync($"sign-in-{email}", Output);
            await new LoginPage(session.Page).SignInAsDemoUserAsync(email);
            return await session.Page.Context.StorageStateAsync();
        });

    private Task AuditAsync(BrowserSession session, string who, string path, string heading) =>
        AxeAudit.AssertNoSeriousViolationsInEveryLookAsync(session, $"{who}-{(string.IsNullOrEmpty(path) ? "home" : path.Replace('/', '-'))}", async () =>
        {
            await session.Page.GotoAsync(path);
            await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            if (IsInteractive(path))
            {
                await BlazorCircuit.WaitForCircuitAsync(session.Page);
            }
        }, Output.WriteLine);

    // The account pages and the verification form are static server-rendered forms: no circuit to wait for.
    private static bool IsInteractive(string path) =>
        !path.StartsWith("Account/", StringComparison.Ordinal) && path != "verification" && path != "does-not-exist";
}
