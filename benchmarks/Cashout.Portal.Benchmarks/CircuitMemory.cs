using System.Globalization;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// `--circuits N`: what an open dashboard costs the server. The built portal runs as its own process (Development,
/// demo history on); Debian's Chromium signs the demo merchant in N times, each in its own browser context, and
/// keeps each dashboard open (one circuit each). Reported: the portal process's resident memory after one warm-up
/// circuit and after N more, settled, and the difference per circuit.
/// </summary>
public static class CircuitMemory
{
    public static async Task RunAsync(int circuits)
    {
        var data = Path.Combine(Path.GetTempPath(), "cashout-circuits-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            await using var portal = await PortalProcess.StartAsync(PortalProcess.FreePort(), new Dictionary<string, string>
            {
                ["Database:Path"] = Path.Combine(data, "portal.db"),
                ["Sandbox:DatabasePath"] = Path.Combine(data, "sandbox.db"),
                ["Email:PickupDirectory"] = Path.Combine(data, "mail"),
                ["Database:SeedDemoHistory"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium",
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
            });

            // The first circuit loads the app's code, caches and pools: not a cost of one more dashboard.
            await OpenDashboardAsync(browser, portal.BaseUrl);
            var before = await SettledResidentKbAsync(portal.ProcessId);
            for (var i = 0; i < circuits; i++)
            {
                await OpenDashboardAsync(browser, portal.BaseUrl);
            }

            var after = await SettledResidentKbAsync(portal.ProcessId);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"circuits,{circuits},rss_before_kb,{before},rss_after_kb,{after},kb_per_circuit,{(after - before) / (double)circuits:0}"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task OpenDashboardAsync(IBrowser browser, Uri baseUrl)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(DemoSeed.MerchantEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoSeed.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 }).WaitForAsync();
        // blazor.web.js defines Blazor.disconnect once the circuit is up.
        await page.WaitForFunctionAsync("() => typeof window.Blazor?.disconnect === 'function'");
    }

    /// <summary>The process's resident set once two readings a second apart differ by less than 1%.</summary>
    private static async Task<long> SettledResidentKbAsync(int processId)
    {
        var last = ResidentKb(processId);
        for (var i = 0; i < 30; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = ResidentKb(processId);
            if (Math.Abs(now - last) < last / 100)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private static long ResidentKb(int processId) =>
        long.Parse(File.ReadLines($"/proc/{processId}/status").Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
