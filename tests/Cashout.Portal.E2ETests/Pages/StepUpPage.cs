namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/Account/StepUp: the static re-authentication form a sensitive action sends the user to.</summary>
public sealed class StepUpPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Confirm it's you", Level = 1 });

    public ILocator Password => page.GetByLabel("Password", new() { Exact = true });

    public ILocator ConfirmButton => page.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true });

    public async Task ConfirmWithPasswordAsync(string password)
    {
        await Expect(Heading).ToBeVisibleAsync();
        await Password.FillAsync(password);
        await ConfirmButton.ClickAsync();
    }
}
