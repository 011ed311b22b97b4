using System.Text.RegularExpressions;
using Cashout.Portal.Tests.Shared;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/Account/Login: a static server-rendered form (no circuit), so it is usable as soon as it is visible.</summary>
public sealed partial class LoginPage(IPage page)
{
    public const string Path = "Account/Login";

    public ILocator Email => page.GetByLabel("Email", new() { Exact = true });

    public ILocator Password => page.GetByLabel("Password", new() { Exact = true });

    public ILocator SubmitButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });

    public ILocator PasskeyButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" });

    /// <summary>The error summary above the form (role="alert").</summary>
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await ExpectLoadedAsync();
    }

    /// <summary>The page is the login page (a redirect may have added ?ReturnUrl=...).</summary>
    public async Task ExpectLoadedAsync()
    {
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(Email).ToBeVisibleAsync();
    }

    /// <summary>Fills the form and submits it; the caller asserts where that leads.</summary>
    public async Task SignInAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await SubmitButton.ClickAsync();
    }

    /// <summary>
    /// Opens the login page and signs in as a demo user, answering the two-factor step with the authenticator
    /// code for the demo admin's secret (README); returns once the shell shows that user.
    /// </summary>
    public async Task<ShellPage> SignInAsDemoUserAsync(string email)
    {
        await GotoAsync();
        await SignInAsync(email, DemoUsers.Password);
        if (email == DemoUsers.Admin)
        {
            var code = page.GetByLabel("Authenticator code", new() { Exact = true });
            await code.FillAsync(Totp.Code(Totp.DemoAdminSecret, DateTimeOffset.UtcNow));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
        }

        var shell = new ShellPage(page);
        await shell.ExpectSignedInAsAsync(email);
        return shell;
    }

    [GeneratedRegex(@"/Account/Login(\?.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex LoginUrl();
}
