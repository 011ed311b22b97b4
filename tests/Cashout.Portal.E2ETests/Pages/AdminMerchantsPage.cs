using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/admin/merchants: the Admin-only list of merchant accounts.</summary>
public sealed partial class AdminMerchantsPage(IPage page)
{
    public const string Path = "admin/merchants";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Merchants", Level = 1, Exact = true });

    public ILocator Grid => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table, new() { Name = "Merchants" });

    /// <summary>What a signed-in user without the Admin role sees instead.</summary>
    public ILocator AccessDenied => page.GetByRole(AriaRole.Heading, new() { Name = "Access denied", Level = 1 });

    public ILocator RowFor(string email) =>
        Grid.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = email, Exact = true }) });

    /// <summary>The verification queue's card of one merchant's submission.</summary>
    public ILocator Submission(string email) =>
        page.GetByRole(AriaRole.List, new() { Name = "Submissions waiting for review" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = email });

    public async Task GotoAsync() => await page.GotoAsync(Path);

    /// <summary>Approves a submission through its confirmation dialog and waits for the toast.</summary>
    public async Task ApproveAsync(string email)
    {
        var approve = page.GetByRole(AriaRole.Button, new() { Name = $"Approve {email}" });
        await BlazorCircuit.WaitUntilInteractiveAsync(approve);
        await approve.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Approve merchant" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{email} is approved.")).ToBeVisibleAsync();
    }

    /// <summary>Opens the fund dialog of a merchant (waits until its button is interactive).</summary>
    public async Task<ILocator> OpenFundDialogAsync(string email)
    {
        var fund = page.GetByRole(AriaRole.Button, new() { Name = $"Fund {email}" });
        await BlazorCircuit.WaitUntilInteractiveAsync(fund);
        await fund.ClickAsync();
        return page.GetByRole(AriaRole.Dialog, new() { Name = $"Credit a sale to {email}" });
    }

    /// <summary>Credits a settled sale of <paramref name="amount"/> (major units, e.g. "250.00") and waits for the toast.</summary>
    public async Task FundAvailableAsync(string email, string amount)
    {
        var dialog = await OpenFundDialogAsync(email);
        await dialog.GetByLabel("Amount", new() { Exact = true }).FillAsync(amount);
        await dialog.GetByLabel("Description", new() { Exact = true }).FillAsync("Settled sales");
        await dialog.GetByText("Available now (a settled sale)").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Credit" }).ClickAsync();
        await Expect(page.GetByText($"${amount} credited to {email} (available).")).ToBeVisibleAsync();
    }

    public async Task ExpectLoadedAsync()
    {
        await Expect(page).ToHaveURLAsync(PageUrl());
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Grid).ToBeVisibleAsync();
    }

    [GeneratedRegex("/admin/merchants$", RegexOptions.IgnoreCase)]
    private static partial Regex PageUrl();
}
