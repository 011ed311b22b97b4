using System.Text.RegularExpressions;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/admin/emails: the email outbox with status, attempts, last error and resend.</summary>
public sealed partial class AdminEmailsPage(IPage page)
{
    public const string Path = "admin/emails";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Emails", Level = 1, Exact = true });

    public ILocator Grid => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table);

    public ILocator Toast(string text) => page.Locator(".mud-snackbar").Filter(new() { HasText = text });

    public ILocator Status => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Status);

    public ILocator RowsTo(string email) =>
        Grid.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = email, Exact = true }) });

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(page).ToHaveURLAsync(PageUrl());
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Grid).ToBeVisibleAsync();
    }

    [GeneratedRegex("/admin/emails$", RegexOptions.IgnoreCase)]
    private static partial Regex PageUrl();
}
