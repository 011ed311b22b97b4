using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/admin/jobs: the background jobs, their schedule and last runs, with run-now and pause/resume.</summary>
public sealed partial class AdminJobsPage(IPage page)
{
    public const string Path = "admin/jobs";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Jobs", Level = 1, Exact = true });

    public ILocator Grid => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table);

    /// <summary>The toast the page shows after an action.</summary>
    public ILocator Toast(string text) => page.Locator(".mud-snackbar").Filter(new() { HasText = text });

    /// <summary>The polite live region that announces the outcome of an action to screen readers.</summary>
    public ILocator Status => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Status);

    public ILocator RowFor(string job) =>
        Grid.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText(job, new() { Exact = true }) });

    public ILocator RunNow(string job) => page.GetByRole(AriaRole.Button, new() { Name = $"Run now: {job}", Exact = true });

    public ILocator Pause(string job) => page.GetByRole(AriaRole.Button, new() { Name = $"Pause {job}", Exact = true });

    /// <summary>The link to Hangfire's own dashboard.</summary>
    public ILocator DashboardLink => page.GetByRole(AriaRole.Link, new() { Name = "Hangfire dashboard", Exact = true });

    public ILocator Resume(string job) => page.GetByRole(AriaRole.Button, new() { Name = $"Resume {job}", Exact = true });

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(page).ToHaveURLAsync(PageUrl());
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(RowFor("submit")).ToBeVisibleAsync();
    }

    /// <summary>Clicks a button once the circuit has attached its handler (a click before that is lost).</summary>
    public static async Task ClickAsync(ILocator button)
    {
        await BlazorCircuit.WaitUntilInteractiveAsync(button);
        await button.ClickAsync();
    }

    [GeneratedRegex("/admin/jobs$", RegexOptions.IgnoreCase)]
    private static partial Regex PageUrl();
}
