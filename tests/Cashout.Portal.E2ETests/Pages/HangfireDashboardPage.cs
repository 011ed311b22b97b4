using System.Text.RegularExpressions;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>Hangfire's own dashboard at /admin/hangfire (admins with two-factor only).</summary>
public sealed partial class HangfireDashboardPage(IPage page)
{
    /// <summary>The dashboard's title in its navigation bar (DashboardOptions.DashboardTitle).</summary>
    public ILocator Title => page.GetByRole(AriaRole.Link, new() { Name = "Cashout Portal jobs", Exact = true });

    public ILocator RecurringJobsTab => page.GetByRole(AriaRole.Link, new() { Name = "Recurring Jobs" });

    /// <summary>A recurring job's row on the Recurring Jobs tab.</summary>
    public ILocator RecurringJob(string id) => page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = id, Exact = true }) });

    public async Task ExpectOpenAsync()
    {
        await Expect(page).ToHaveURLAsync(PageUrl());
        await Expect(Title).ToBeVisibleAsync();
    }

    [GeneratedRegex("/admin/hangfire(/.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex PageUrl();
}
