using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/cashouts: the merchant's history grid with filters and the CSV export.</summary>
public sealed class CashoutHistoryPage(IPage page)
{
    public const string Path = "cashouts";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Cashouts", Level = 1 });

    public ILocator Grid => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table);

    /// <summary>The data rows (the header row has column headers, not cells).</summary>
    public ILocator Rows => Grid.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell) });

    public ILocator RowFor(long id) => Rows.Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = $"#{id}", Exact = true }) });

    public ILocator ExportLink => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" });

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    /// <summary>The ids of the rows on screen, top to bottom.</summary>
    public async Task<IReadOnlyList<long>> VisibleIdsAsync()
    {
        var links = await Rows.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^#\d+$") }).AllTextContentsAsync();
        return [.. links.Select(text => long.Parse(text.Trim().TrimStart('#'), System.Globalization.CultureInfo.InvariantCulture))];
    }
}

/// <summary>/cashouts/{id} (and /admin/cashouts/{id}): details, the quote, the timeline and the actions.</summary>
public sealed class CashoutDetailsPage(IPage page)
{
    public ILocator Status => page.GetByTestId("cashout-status");

    public ILocator HoldBanner => page.GetByTestId("hold-banner");

    public ILocator Timeline => page.GetByRole(AriaRole.List, new() { Name = "Timeline" });

    public ILocator CancelButton => page.GetByRole(AriaRole.Button, new() { Name = "Cancel cashout" }).First;

    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);

    public async Task GotoAsync(long id, bool admin = false)
    {
        await page.GotoAsync(admin ? $"admin/cashouts/{id}" : $"cashouts/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Cashout #{id}", Level = 1 })).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    /// <summary>The merchant cancels: the button, then the confirmation dialog's "Cancel cashout".</summary>
    public async Task CancelAsMerchantAsync()
    {
        await BlazorCircuit.WaitUntilInteractiveAsync(CancelButton);
        await CancelButton.ClickAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel cashout" }).ClickAsync();
        await Expect(Status).ToHaveTextAsync("Cancelled");
    }
}

/// <summary>/: the merchant dashboard.</summary>
public sealed class DashboardPage(IPage page)
{
    public ILocator Available(string currency) => page.GetByTestId($"available-{currency}");

    public ILocator Reserved(string currency) => page.GetByTestId($"reserved-{currency}");

    public ILocator CashoutsInFlight => page.GetByTestId("cashout-in-flight");

    public ILocator HoldBanner => page.GetByTestId("dashboard-hold-banner");

    public async Task GotoAsync()
    {
        await page.GotoAsync("");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    /// <summary>Cancels a Pending cashout another test may have left, so each test starts from the seeded balance.</summary>
    public async Task CancelPendingCashoutsAsync()
    {
        await GotoAsync();
        while (await CashoutsInFlight.Filter(new() { HasText = "Pending" }).CountAsync() > 0)
        {
            var link = CashoutsInFlight.Filter(new() { HasText = "Pending" }).First.GetByRole(AriaRole.Link);
            var id = long.Parse((await link.TextContentAsync() ?? "").Trim().TrimStart('#'), System.Globalization.CultureInfo.InvariantCulture);
            var details = new CashoutDetailsPage(page);
            await details.GotoAsync(id);
            await details.CancelAsMerchantAsync();
            await GotoAsync();
        }
    }
}

/// <summary>/admin/cashouts: every merchant's cashouts with hold, release and cancel.</summary>
public sealed class AdminCashoutsPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "All cashouts", Level = 1 });

    public ILocator Grid => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table);

    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);

    public ILocator Action(string action, long id) => page.GetByRole(AriaRole.Button, new() { Name = $"{action} cashout #{id}", Exact = true });

    public async Task GotoAsync()
    {
        await page.GotoAsync("admin/cashouts");
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    /// <summary>Hold or Cancel: the row's button, a reason, the dialog's confirm button.</summary>
    public async Task WithReasonAsync(string action, long id, string reason, string confirm)
    {
        await BlazorCircuit.WaitUntilInteractiveAsync(Action(action, id));
        await Action(action, id).ClickAsync();
        await Dialog.GetByLabel("Reason").FillAsync(reason);
        await Dialog.GetByRole(AriaRole.Button, new() { Name = confirm, Exact = true }).ClickAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }

    public async Task ReleaseAsync(long id)
    {
        await BlazorCircuit.WaitUntilInteractiveAsync(Action("Release", id));
        await Action("Release", id).ClickAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Release", Exact = true }).ClickAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }
}
