namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/Account/Register: a static server-rendered form.</summary>
public sealed class RegisterPage(IPage page)
{
    public ILocator Email => page.GetByLabel("Email", new() { Exact = true });

    public ILocator Password => page.GetByLabel("Password", new() { Exact = true });

    public ILocator ConfirmPassword => page.GetByLabel("Confirm password", new() { Exact = true });

    public async Task RegisterAsync(string email, string password)
    {
        await page.GotoAsync("Account/Register");
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await ConfirmPassword.FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
    }
}
