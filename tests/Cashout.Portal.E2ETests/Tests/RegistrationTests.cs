using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

public sealed class RegistrationTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task New_merchant_confirms_the_email_through_the_dev_mailbox_and_signs_in() => InBrowserAsync(async session =>
    {
        var email = $"shop-{Guid.NewGuid():N}"[..13] + "@example.test";
        const string password = "Fresh-Merchant-2026";

        await new RegisterPage(session.Page).RegisterAsync(email, password);

        var mailbox = new MailboxPage(session.Page);
        await mailbox.GotoAsync();
        var message = await mailbox.OpenAsync(email, "Confirm your email");
        await session.ScreenshotAsync("dev-mailbox");
        await message.GetByRole(AriaRole.Link, new() { Name = "Confirm email" }).ClickAsync();
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Email confirmed", Level = 1 })).ToBeVisibleAsync();

        var login = new LoginPage(session.Page);
        await login.GotoAsync();
        await login.SignInAsync(email, password);
        await new ShellPage(session.Page).ExpectSignedInAsAsync(email);
    });
}
