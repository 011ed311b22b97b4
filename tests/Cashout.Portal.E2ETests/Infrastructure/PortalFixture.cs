using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// One per test run: the settings, the portal (started here unless <c>baseUrl</c> names a running one) and one
/// Chromium. Each test opens its own <see cref="BrowserSession"/> (a fresh context, so cookies never leak).
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    private PortalProcess? portal;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public E2EOptions Options { get; } = E2EOptions.Load();

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>The ASP.NET Core environment the fixture starts the portal in.</summary>
    protected virtual string Environment => "Development";

    /// <summary>The started portal's database file; tests that prepare data need the fixture to start the portal.</summary>
    public string DatabasePath => portal?.DatabasePath
        ?? throw new InvalidOperationException("This test prepares data in the portal's database: let the fixture start the portal (no baseUrl in playwright.config.json).");

    public async Task InitializeAsync()
    {
        BaseUrl = await StartPortalAsync();

        Assertions.SetDefaultExpectTimeout(Options.Timeouts.ExpectMs);
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Options.Browser.ExecutablePath,
            Headless = Options.Browser.Headless,
            SlowMo = Options.Browser.SlowMoMs,
            Args = Options.Browser.Args,
        });
    }

    /// <summary>Starts what the tests browse (unless the settings name a running portal); returns its address.</summary>
    protected virtual async Task<Uri> StartPortalAsync()
    {
        if (Options.StartsPortal || Environment != "Development")
        {
            portal = await PortalProcess.StartAsync(Options, Environment);
            return portal.BaseUrl;
        }

        return new Uri(Options.BaseUrl.TrimEnd('/') + "/");
    }

    /// <summary>A new browser context and page for one test, named after it for screenshots and traces.</summary>
    /// <param name="baseUrl">Another portal than the fixture's (a test that starts its own), else the fixture's.</param>
    /// <param name="storageState">Cookies and storage to start with (Playwright's storage state JSON), else none.</param>
    public Task<BrowserSession> NewSessionAsync(string testName, ITestOutputHelper output, Uri? baseUrl = null, string? storageState = null) =>
        BrowserSession.StartAsync(
            browser ?? throw new InvalidOperationException("The fixture is not initialized."), Options, baseUrl ?? BaseUrl, testName, output, storageState);

    public virtual async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        if (portal is not null)
        {
            await portal.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal";
}

/// <summary>A portal of its own in Production: no demo seed, no sandbox, no development pages.</summary>
public sealed class ProductionPortalFixture : PortalFixture
{
    protected override string Environment => "Production";
}
