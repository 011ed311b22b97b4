using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>axe-core audits: DESIGN.md section 5 requires no serious or critical violation on any page.</summary>
public static class AxeAudit
{
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    /// <summary>Runs axe on the page; fails listing every serious or critical violation, prints the rest.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, Action<string> log)
    {
        // When the interactive circuit takes over the page, Blazor's HeadOutlet renders <PageTitle> again and the
        // title is empty for a moment: audit the settled page (a page with no title at all still fails, here).
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"\S"));

        var result = await RunAxeAsync(page);

        var blocking = result.Violations.Where(v => BlockingImpacts.Contains(v.Impact)).ToList();
        var minor = result.Violations.Except(blocking).ToList();
        if (minor.Count > 0)
        {
            log($"axe (not blocking) on {page.Url}:{Environment.NewLine}{Describe(minor)}");
        }

        Assert.True(
            blocking.Count == 0,
            $"axe found {blocking.Count} serious or critical violation(s) on {page.Url}:{Environment.NewLine}{Describe(blocking)}");
    }

    /// <summary>
    /// axe-core's own entry point, <c>axe.run</c>, in the page, with the axe-core script that Deque's package ships.
    /// The package's <c>RunAxe</c> finishes every run in a new blank page of the browser (its isolation for
    /// cross-origin frames, which the portal has none of): that was 60% of an audit's time. Only violations are
    /// collected: the passes and the incomplete checks, which nothing here reads, were most of what axe sent back.
    /// </summary>
    private static async Task<AxeResult> RunAxeAsync(IPage page)
    {
        await page.EvaluateAsync("() => " + AxeScript.Value);
        var json = await page.EvaluateAsync<string>("async () => JSON.stringify(await axe.run(document, { resultTypes: ['violations'] }))");
        return new AxeResult(Newtonsoft.Json.Linq.JObject.Parse(json));
    }

    private static readonly Lazy<string> AxeScript = new(() =>
    {
        using var script = typeof(AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("Deque.AxeCore.Commons no longer ships axe.min.js where it did.");
        using var reader = new StreamReader(script);
        return reader.ReadToEnd();
    });

    /// <summary>The widths and themes every page is audited in: a laptop and a phone, light and dark.</summary>
    public static IReadOnlyList<(string Name, int Width, int Height, string Theme)> Looks { get; } =
    [
        ("desktop-light", 1366, 900, "light"),
        ("phone-light", 390, 844, "light"),
        ("desktop-dark", 1366, 900, "dark"),
        ("phone-dark", 390, 844, "dark"),
    ];

    /// <summary>
    /// Opens the page in every look (<see cref="Looks"/>: the theme is the person's choice, the cookie the app's menu
    /// writes), audits each, and keeps a screenshot of each.
    /// </summary>
    public static async Task AssertNoSeriousViolationsInEveryLookAsync(BrowserSession session, string name, Func<Task> open, Action<string> log)
    {
        var origin = session.BaseUrl.GetLeftPart(UriPartial.Authority);
        foreach (var look in Looks)
        {
            await session.Page.SetViewportSizeAsync(look.Width, look.Height);
            await session.Page.Context.AddCookiesAsync([new Cookie { Name = "cashout.theme", Value = look.Theme, Url = origin }]);
            await open();
            await AssertNoSeriousViolationsAsync(session.Page, log);
            await session.ScreenshotAsync($"{name}-{look.Name}");
        }

        await session.Page.Context.AddCookiesAsync([new Cookie { Name = "cashout.theme", Value = "system", Url = origin }]);
        await session.Page.SetViewportSizeAsync(1366, 900);
    }

    private static string Describe(IEnumerable<AxeResultItem> violations) =>
        string.Join(Environment.NewLine, violations.Select(v =>
            $"- {v.Id} [{v.Impact}] {v.Help} ({v.HelpUrl}){Environment.NewLine}" +
            string.Join(Environment.NewLine, v.Nodes.Select(n => $"    at {n.Target}: {Why(n)}{Environment.NewLine}      {n.Html}"))));

    private static string Why(AxeResultNode node) =>
        string.Join("; ", new[] { node.All, node.None, node.Any }
            .Where(checks => checks is not null)
            .SelectMany(checks => checks)
            .Select(check => check.Message)
            .Where(message => !string.IsNullOrWhiteSpace(message))
            .Distinct());
}
