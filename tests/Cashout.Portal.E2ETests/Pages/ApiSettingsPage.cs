using System.Text.RegularExpressions;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/settings/api: the merchant's API credentials and webhook endpoint (interactive).</summary>
public sealed partial class ApiSettingsPage(IPage page)
{
    public const string Path = "settings/api";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "API settings", Level = 1, Exact = true });

    public ILocator CreateButton => page.GetByRole(AriaRole.Button, new() { Name = "Create API credentials" });

    public ILocator RotateButton => page.GetByRole(AriaRole.Button, new() { Name = "Rotate credentials" });

    public ILocator CopiedButton => page.GetByRole(AriaRole.Button, new() { Name = "I have copied them" });

    public ILocator IssuedLogin => page.GetByTestId("issued-login");

    public ILocator IssuedPass => page.GetByTestId("issued-pass");

    public ILocator IssuedSecret => page.GetByTestId("issued-secret");

    public ILocator ConfirmRotateButton => page.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true });

    public ILocator EndpointUrl => page.GetByRole(AriaRole.Textbox, new() { Name = "Endpoint URL" });

    public ILocator SaveEndpointButton => page.GetByRole(AriaRole.Button, new() { Name = "Save endpoint" });

    public ILocator SendTestButton => page.GetByRole(AriaRole.Button, new() { Name = "Send test event" });

    public ILocator Deliveries => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table);

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await ExpectLoadedAsync();
    }

    public async Task ExpectLoadedAsync()
    {
        await Expect(page).ToHaveURLAsync(PageUrl());
        await Expect(Heading).ToBeVisibleAsync();
    }

    [GeneratedRegex("/settings/api$", RegexOptions.IgnoreCase)]
    private static partial Regex PageUrl();
}
