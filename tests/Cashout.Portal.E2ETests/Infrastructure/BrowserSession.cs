using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// One test's browser context (isolated cookies and storage) and page. Tracing records from the start; the trace
/// zip and a screenshot are kept only when the test body fails (<see cref="RunAsync"/>). A script or style the
/// portal's Content-Security-Policy refused fails the test too: a refused script is a page that silently does less.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly E2EOptions options;
    private readonly ITestOutputHelper output;
    private readonly List<string> refusedByPolicy = [];
    private bool tracing;

    private BrowserSession(IBrowserContext context, IPage page, E2EOptions options, Uri baseUrl, string testName, ITestOutputHelper output)
    {
        this.context = context;
        BaseUrl = baseUrl;
        this.options = options;
        this.output = output;
        Page = page;
        TestName = testName;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (refusedByPolicy)
                {
                    refusedByPolicy.Add(message.Text);
                }
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The portal this session browses.</summary>
    public Uri BaseUrl { get; }

    public string TestName { get; }

    internal static async Task<BrowserSession> StartAsync(
        IBrowser browser, E2EOptions options, Uri baseUrl, string testName, ITestOutputHelper output, string? storageState = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            StorageState = storageState,
            ViewportSize = new ViewportSize { Width = options.Viewport.Width, Height = options.Viewport.Height },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(options.Timeouts.ActionMs);
        context.SetDefaultNavigationTimeout(options.Timeouts.NavigationMs);

        var session = new BrowserSession(context, await context.NewPageAsync(), options, baseUrl, testName, output);
        if (options.Artifacts.TraceOnFailure)
        {
            await context.Tracing.StartAsync(new TracingStartOptions { Title = testName, Screenshots = true, Snapshots = true });
            session.tracing = true;
        }

        return session;
    }

    /// <summary>Runs the test body; on failure keeps a screenshot and the trace, then rethrows.</summary>
    public async Task RunAsync(Func<IPage, Task> body)
    {
        try
        {
            await body(Page);
            lock (refusedByPolicy)
            {
                Assert.True(refusedByPolicy.Count == 0, "The Content-Security-Policy refused: " + string.Join(Environment.NewLine, refusedByPolicy));
            }
        }
        catch
        {
            await KeepFailureEvidenceAsync();
            throw;
        }
    }

    /// <summary>Saves the whole page as <c>artifacts/screenshots/{name}.png</c>.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(options.Artifacts.ScreenshotDir);
        var path = Path.Combine(options.Artifacts.ScreenshotDir, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    private async Task KeepFailureEvidenceAsync()
    {
        // Evidence is best effort: a closed page must not hide the test's own exception.
        try
        {
            if (options.Artifacts.ScreenshotOnFailure && !Page.IsClosed)
            {
                await ScreenshotAsync($"failed-{TestName}");
            }

            if (tracing)
            {
                Directory.CreateDirectory(options.Artifacts.TraceDir);
                var path = Path.Combine(options.Artifacts.TraceDir, TestName + ".zip");
                await context.Tracing.StopAsync(new TracingStopOptions { Path = path });
                tracing = false;
                output.WriteLine($"trace: {path} (open it at https://trace.playwright.dev)");
            }
        }
        catch (PlaywrightException ex)
        {
            output.WriteLine($"could not keep failure evidence: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (tracing)
        {
            await context.Tracing.StopAsync();
        }

        await context.CloseAsync();
    }
}

/// <summary>Base class of the E2E tests: the shared fixture and a per-test session named after the test.</summary>
[Collection(PortalCollection.Name)]
public abstract class PortalTest(PortalFixture fixture, ITestOutputHelper output)
{
    protected PortalFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Opens a fresh browser context, runs <paramref name="body"/> and keeps evidence if it fails.</summary>
    protected Task InBrowserAsync(Func<BrowserSession, Task> body, [CallerMemberName] string testName = "") =>
        InBrowserAsync(storageState: null, body, testName);

    /// <summary>As above, the context starting with <paramref name="storageState"/> (Playwright's storage state JSON).</summary>
    protected async Task InBrowserAsync(string? storageState, Func<BrowserSession, Task> body, [CallerMemberName] string testName = "")
    {
        await using var session = await Fixture.NewSessionAsync(testName, Output, storageState: storageState);
        await session.RunAsync(_ => body(session));
    }
}
