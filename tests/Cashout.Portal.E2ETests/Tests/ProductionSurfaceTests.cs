using System.Text.RegularExpressions;
using Cashout.Portal.Data;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// The portal in Production: the development mailbox (it lists password-reset links) is unreachable by HTTP and by
/// in-app navigation, anonymous and signed in; registration works without the demo seed (the roles exist).
/// </summary>
public sealed partial class ProductionSurfaceTests(ProductionPortalFixture fixture, ITestOutputHelper output)
    : PortalTest(fixture, output), IClassFixture<ProductionPortalFixture>
{
    [Fact]
    public Task Anonymous_visitor_cannot_reach_the_dev_mailbox_by_http_or_in_app_navigation() => InBrowserAsync(async session =>
    {
        var http = await session.Page.APIRequest.GetAsync("dev/mail");
        Assert.Equal(404, http.Status);

        await ExpectMailboxUnreachableByNavigationAsync(session);
    });

    [Fact]
    public Task Signed_in_merchant_registered_in_production_cannot_reach_the_dev_mailbox() => InBrowserAsync(async session =>
    {
        var email = $"prod-{Guid.NewGuid():N}"[..13] + "@example.test";
        const string password = "Production-Shop-2026";
        await new RegisterPage(session.Page).RegisterAsync(email, password);
        await session.Page.GotoAsync(await ConfirmationLinkAsync(email));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Email confirmed", Level = 1 })).ToBeVisibleAsync();

        var login = new LoginPage(session.Page);
        await login.GotoAsync();
        await login.SignInAsync(email, password);
        await new ShellPage(session.Page).ExpectSignedInAsAsync(email);

        var http = await session.Page.APIRequest.GetAsync("dev/mail");
        Assert.Equal(404, http.Status);
        await ExpectMailboxUnreachableByNavigationAsync(session);
    });

    private static async Task ExpectMailboxUnreachableByNavigationAsync(BrowserSession session)
    {
        var page = session.Page;
        await page.GotoAsync("not-found");
        await BlazorCircuit.WaitForCircuitAsync(page);

        await page.EvaluateAsync("() => Blazor.navigateTo('/dev/mail')");

        await Expect(page).ToHaveURLAsync(new Regex("/dev/mail$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mailbox" })).ToHaveCountAsync(0);
        await Expect(page.GetByText("Confirm your email")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("production-dev-mail");
    }

    /// <summary>Production sends through its configured mail transport; the link is read from the portal's outbox.</summary>
    private async Task<string> ConfirmationLinkAsync(string email)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={Fixture.DatabasePath}").Options;
        await using var db = new PortalDbContext(options);
        var body = await db.OutboxMessages.Where(m => m.To == email && m.Kind == "account.confirm-email").Select(m => m.TextBody).SingleAsync();
        return ConfirmLink().Match(body).Value;
    }

    [GeneratedRegex(@"https?://\S+/Account/ConfirmEmail\?\S+")]
    private static partial Regex ConfirmLink();
}
