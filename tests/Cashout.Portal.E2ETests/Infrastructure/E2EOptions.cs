using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// The settings of an E2E run, from <c>playwright.config.json</c> at the repository root (DESIGN.md section 1),
/// with a few environment overrides for CI and local debugging. Relative paths are resolved against the root.
/// </summary>
public sealed record E2EOptions
{
    /// <summary>The value of <see cref="BaseUrl"/> that makes the fixture start the built portal itself.</summary>
    public const string AutoBaseUrl = "auto";

    public string BaseUrl { get; init; } = AutoBaseUrl;
    public BrowserSettings Browser { get; init; } = new();
    public ViewportSettings Viewport { get; init; } = new();
    public TimeoutSettings Timeouts { get; init; } = new();
    public ArtifactSettings Artifacts { get; init; } = new();

    [JsonIgnore]
    public string RepositoryRoot { get; init; } = "";

    [JsonIgnore]
    public bool StartsPortal => string.Equals(BaseUrl, AutoBaseUrl, StringComparison.OrdinalIgnoreCase);

    public sealed record BrowserSettings
    {
        public string ExecutablePath { get; init; } = "/usr/bin/chromium";
        public bool Headless { get; init; } = true;
        public int SlowMoMs { get; init; }
        public IReadOnlyList<string> Args { get; init; } = [];
    }

    public sealed record ViewportSettings
    {
        public int Width { get; init; } = 1366;
        public int Height { get; init; } = 900;
    }

    /// <summary>
    /// How long a step may take before the test fails: Playwright waits for a condition and moves on the moment it holds,
    /// so these bound failures only. Generous because the test machine has two shared cores: under a load average of 30,
    /// a sign-in's redirect once took more than 10 s.
    /// </summary>
    public sealed record TimeoutSettings
    {
        public int ActionMs { get; init; } = 20_000;
        public int NavigationMs { get; init; } = 30_000;
        public int ExpectMs { get; init; } = 20_000;
        public int AppStartSeconds { get; init; } = 90;
    }

    public sealed record ArtifactSettings
    {
        public string ScreenshotDir { get; init; } = "artifacts/screenshots";
        public string TraceDir { get; init; } = "artifacts/traces";
        public string LogDir { get; init; } = "artifacts/e2e";
        public bool ScreenshotOnFailure { get; init; } = true;
        public bool TraceOnFailure { get; init; } = true;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads the file (or <c>E2E_CONFIG</c>), applies the environment overrides and validates the result.</summary>
    public static E2EOptions Load()
    {
        var root = Infrastructure.RepositoryRoot.Find();
        var file = Environment.GetEnvironmentVariable("E2E_CONFIG") is { Length: > 0 } custom
            ? Path.GetFullPath(custom, root)
            : Path.Combine(root, "playwright.config.json");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"E2E settings file not found: {file}");
        }

        var options = JsonSerializer.Deserialize<E2EOptions>(File.ReadAllText(file), JsonOptions)
            ?? throw new InvalidOperationException($"E2E settings file is empty: {file}");

        options = ApplyEnvironment(options) with
        {
            RepositoryRoot = root,
            Artifacts = options.Artifacts with
            {
                ScreenshotDir = Path.GetFullPath(options.Artifacts.ScreenshotDir, root),
                TraceDir = Path.GetFullPath(options.Artifacts.TraceDir, root),
                LogDir = Path.GetFullPath(options.Artifacts.LogDir, root),
            },
        };
        options.Validate(file);
        return options;
    }

    private static E2EOptions ApplyEnvironment(E2EOptions options)
    {
        var browser = options.Browser with
        {
            ExecutablePath = Env("E2E_BROWSER_PATH") ?? options.Browser.ExecutablePath,
            Headless = EnvBool("E2E_HEADLESS") ?? options.Browser.Headless,
            SlowMoMs = EnvInt("E2E_SLOW_MO_MS") ?? options.Browser.SlowMoMs,
        };
        var artifacts = options.Artifacts with
        {
            TraceOnFailure = EnvBool("E2E_TRACE_ON_FAILURE") ?? options.Artifacts.TraceOnFailure,
        };
        return options with { BaseUrl = Env("E2E_BASE_URL") ?? options.BaseUrl, Browser = browser, Artifacts = artifacts };
    }

    private void Validate(string file)
    {
        var problems = new List<string>();
        if (!StartsPortal && !Uri.TryCreate(BaseUrl, UriKind.Absolute, out _))
        {
            problems.Add($"baseUrl must be \"{AutoBaseUrl}\" or an absolute URL, not \"{BaseUrl}\"");
        }

        if (!File.Exists(Browser.ExecutablePath))
        {
            problems.Add($"browser.executablePath {Browser.ExecutablePath} does not exist (install Debian's chromium: apt-get install -y chromium)");
        }

        if (Timeouts.ActionMs <= 0 || Timeouts.NavigationMs <= 0 || Timeouts.ExpectMs <= 0 || Timeouts.AppStartSeconds <= 0)
        {
            problems.Add("every timeout must be positive");
        }

        if (Viewport.Width <= 0 || Viewport.Height <= 0)
        {
            problems.Add("viewport width and height must be positive");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Invalid E2E settings ({file}): {string.Join("; ", problems)}.");
        }
    }

    private static string? Env(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static bool? EnvBool(string name) => Env(name) switch
    {
        null => null,
        var v when v is "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        var v when v is "0" || v.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        var v => throw new InvalidOperationException($"{name} must be true/false or 1/0, not \"{v}\"."),
    };

    private static int? EnvInt(string name) => Env(name) switch
    {
        null => null,
        var v when int.TryParse(v, out var n) => n,
        var v => throw new InvalidOperationException($"{name} must be an integer, not \"{v}\"."),
    };
}
