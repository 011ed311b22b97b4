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
    public ILocator Rows => CashoutGridRows.Of(page);

    public ILocator RowFor(long id) => Rows.Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = $"#{id}", Exact = true }) });

    public ILocator ExportLink => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" });

    public CashoutFilters Filters { get; } = new(page);

    public async Task GotoAsync(string query = "")
    {
        await page.GotoAsync(Path + query);
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    /// <summary>The ids of the rows on screen, top to bottom.</summary>
    public Task<IReadOnlyList<long>> VisibleIdsAsync() => CashoutGridRows.VisibleIdsAsync(Rows);
}

/// <summary>The rows of either cashout grid (the merchant's and the back office's).</summary>
public static class CashoutGridRows
{
    /// <summary>The data rows (the header row has column headers, not cells).</summary>
    public static ILocator Of(IPage page) =>
        page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell) });

    /// <summary>The ids of the rows on screen, top to bottom.</summary>
    public static async Task<IReadOnlyList<long>> VisibleIdsAsync(ILocator rows)
    {
        var links = await rows.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^#\d+$") }).AllTextContentsAsync();
        return [.. links.Select(text => long.Parse(text.Trim().TrimStart('#'), System.Globalization.CultureInfo.InvariantCulture))];
    }

    // Scrolls the page (never the grid sideways) to the cell, then asks what is drawn at its centre: the cell, not
    // another column over it (the sticky actions) nor what lies beside a grid cut off at its right edge.
    private const string ShownWithoutScrollingTheGrid = """
        cell => {
            window.scrollBy(0, cell.getBoundingClientRect().top - window.innerHeight / 2);
            const box = cell.getBoundingClientRect();
            const drawn = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return drawn !== null && cell.contains(drawn);
        }
        """;

    /// <summary>
    /// On a laptop the grid is a table (its column headers shown, not a phone's stacked cards) that fits beside the
    /// menu: nothing is cut off at its right edge, so no column needs a sideways scroll.
    /// </summary>
    public static async Task ExpectWholeTableAsync(IPage page)
    {
        var table = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table);
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader).Filter(new() { HasText = "Amount" })).ToBeVisibleAsync();
        var cutOff = await table.EvaluateAsync<double>("t => t.scrollWidth - t.closest('.mud-table-container').clientWidth");
        Assert.True(cutOff <= 1, $"The grid is {cutOff} px wider than the space beside the menu at {page.ViewportSize?.Width} px.");
    }

    /// <summary>Every row's amount and status are on screen as the grid opens, without scrolling it sideways.</summary>
    public static async Task ExpectAmountAndStatusShownAsync(ILocator rows)
    {
        foreach (var row in await rows.AllAsync())
        {
            // MudBlazor labels each cell with its column's title (what a phone shows beside the value).
            foreach (var column in new[] { "Amount", "Status" })
            {
                var shown = await row.Locator($"td[data-label='{column}']").EvaluateAsync<bool>(ShownWithoutScrollingTheGrid);
                Assert.True(shown, $"{column} is hidden in the row: {await row.InnerTextAsync()}");
            }
        }
    }
}

/// <summary>The filter bar above both cashout grids: menus (Status, Method, Age) and fields (dates, merchant email, amounts).</summary>
public sealed class CashoutFilters(IPage page)
{
    public ILocator Field(string label) =>
        page.GetByRole(AriaRole.Search, new() { Name = "Filter cashouts" }).GetByLabel(label, new() { Exact = true });

    /// <summary>Opens a menu and picks an option.</summary>
    public async Task PickAsync(string label, string option)
    {
        await BlazorCircuit.WaitUntilInteractiveAsync(Field(label));
        await Field(label).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    /// <summary>Types into a field and leaves it, which applies the filter.</summary>
    public async Task TypeAsync(string label, string text)
    {
        await BlazorCircuit.WaitUntilInteractiveAsync(Field(label));
        await Field(label).FillAsync(text);
        await Field(label).PressAsync("Tab");
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

    public ILocator Rows => CashoutGridRows.Of(page);

    public CashoutFilters Filters { get; } = new(page);

    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);

    public ILocator Action(string action, long id) => page.GetByRole(AriaRole.Button, new() { Name = $"{action} cashout #{id}", Exact = true });

    public async Task GotoAsync(string query = "")
    {
        await page.GotoAsync("admin/cashouts" + query);
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
