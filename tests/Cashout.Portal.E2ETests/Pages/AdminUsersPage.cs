using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/admin/users: find a person, then change its role, lock it or reset its two-factor, each with a reason.</summary>
public sealed class AdminUsersPage(IPage page)
{
    public const string Path = "admin/users";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1, Exact = true });

    public ILocator Search => page.GetByLabel("Find by email");

    public ILocator Grid => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table, new() { Name = "Users" });

    public ILocator RowFor(string email) =>
        Grid.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = email, Exact = true }) });

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitUntilInteractiveAsync(Search);
    }

    /// <summary>Finds the person, picks <paramref name="action"/> from its menu and confirms with a reason.</summary>
    public async Task ActAsync(string email, string action, string reason, string confirm)
    {
        await Search.FillAsync(email);
        // The search has narrowed the grid to the one person.
        await Expect(Grid.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Manage ") })).ToHaveCountAsync(1);
        var manage = page.GetByRole(AriaRole.Button, new() { Name = $"Manage {email}" });
        await BlazorCircuit.WaitUntilInteractiveAsync(manage);
        await manage.ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = action }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Reason").FillAsync(reason);
        await dialog.GetByRole(AriaRole.Button, new() { Name = confirm, Exact = true }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
    }
}
