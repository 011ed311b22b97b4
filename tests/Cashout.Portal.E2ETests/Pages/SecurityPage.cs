using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/settings/security (interactive): passkeys and the sessions signed in now.</summary>
public sealed class SecurityPage(IPage page)
{
    public const string Path = "settings/security";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Profile and security", Level = 1 });

    public ILocator AddPasskeyButton => page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" });

    public ILocator Passkeys => page.GetByRole(AriaRole.List, new() { Name = "Passkeys" }).GetByRole(AriaRole.Listitem);

    public ILocator Sessions => page.GetByRole(AriaRole.List, new() { Name = "Signed-in sessions" }).GetByRole(AriaRole.Listitem);

    /// <summary>The "Sign out" button of each session other than this one (its name says which device).</summary>
    public ILocator SignOutOtherSessionButtons => Sessions.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sign out ") });

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitUntilInteractiveAsync(AddPasskeyButton);
    }

    /// <summary>Adds a passkey (the browser's authenticator answers) and names it in the dialog that follows.</summary>
    public async Task AddPasskeyAsync(string name)
    {
        await AddPasskeyButton.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Passkey name" });
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Passkey name").FillAsync(name);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Passkeys.Filter(new() { HasText = name })).ToBeVisibleAsync();
    }
}
