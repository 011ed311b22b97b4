using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Cashout.Portal.Tests.Shared;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// The real, built portal running as its own process on a free loopback port, in Development (demo seed) unless told
/// otherwise, with a fresh SQLite file and mail pickup folder in a temp directory. Output goes to a log file under artifacts/.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private const string AppName = "Cashout.Portal";
    private const int LogTailLines = 60;

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Queue<string> tail = new();
    private readonly Lock outputLock = new();
    private readonly string tempDir;
    private bool logClosed;

    private PortalProcess(Process process, StreamWriter log, string logPath, string tempDir, Uri baseUrl)
    {
        this.process = process;
        this.log = log;
        this.tempDir = tempDir;
        LogPath = logPath;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>The configuration the portal was started with (environment variables), for commands run against the same data.</summary>
    public IReadOnlyDictionary<string, string?> Settings => process.StartInfo.Environment.AsReadOnly();

    public string LogPath { get; }

    /// <summary>The portal's SQLite file, for tests that prepare data through the portal's own use cases.</summary>
    public string DatabasePath => Path.Combine(tempDir, "e2e.db");

    /// <summary>Starts the built apphost and returns once <c>GET /health</c> answers 200.</summary>
    /// <param name="publishedApp">The <c>Cashout.Portal.dll</c> of a <c>dotnet publish</c> output, run with <c>dotnet</c>, instead of the build's apphost.</param>
    /// <param name="settings">Configuration (keys like <c>Email:SmtpHost</c>) applied last, over the defaults below.</param>
    public static async Task<PortalProcess> StartAsync(
        E2EOptions options, string environment = "Development", string? publishedApp = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = options.RepositoryRoot;
        var appHost = publishedApp is null ? FindAppHost(root) : "dotnet";
        var port = FreeLoopbackPort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var tempDir = Directory.CreateTempSubdirectory("cashout-e2e-").FullName;

        Directory.CreateDirectory(options.Artifacts.LogDir);
        var logPath = Path.Combine(options.Artifacts.LogDir, $"portal-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{port}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };

        var startInfo = new ProcessStartInfo(appHost)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (publishedApp is not null)
        {
            // A published app is its own content root: its wwwroot and static asset manifest are beside it.
            startInfo.ArgumentList.Add(publishedApp);
            startInfo.WorkingDirectory = Path.GetDirectoryName(publishedApp)!;
        }
        else
        {
            startInfo.ArgumentList.Add("--contentRoot");
            startInfo.ArgumentList.Add(root);
        }
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = environment;
        startInfo.Environment["ASPNETCORE_URLS"] = baseUrl.GetLeftPart(UriPartial.Authority);
        startInfo.Environment["Database__Path"] = Path.Combine(tempDir, "e2e.db");
        // The flows start from the demo merchant's bare balances, not from its demo history.
        startInfo.Environment["Database__SeedDemoHistory"] = "false";
        startInfo.Environment["Email__PickupDirectory"] = Path.Combine(tempDir, "mail");
        // The payout pipeline on this port: adapters call the in-app provider sandbox, which calls back here; fast.
        startInfo.Environment["Sandbox__DatabasePath"] = Path.Combine(tempDir, "sandbox.db");
        startInfo.Environment["Sandbox__PortalBaseUrl"] = baseUrl.ToString();
        startInfo.Environment["Sandbox__TimeScale"] = "200000";
        // A long review window keeps the shared demo merchant's cashouts Pending while flows hold or cancel them;
        // pipeline tests end the review of their own cashouts (PortalData.EndReviewAsync).
        startInfo.Environment["Payouts__ReviewWindowSeconds"] = "3600";
        foreach (var provider in new[] { "Payoneer", "Tipalti", "Bank" })
        {
            startInfo.Environment[$"Providers__{provider}__BaseUrl"] = $"{baseUrl}sandbox/{provider.ToLowerInvariant()}/";
            if (environment != "Development")
            {
                // Production has no demo provider keys and wants its Data Protection keys encrypted; test values.
                startInfo.Environment[$"Providers__{provider}__ApiKey"] = $"e2e-{provider}-key";
                startInfo.Environment[$"Providers__{provider}__WebhookSecret"] = "whsec_" + Convert.ToBase64String(new byte[32]);
            }
        }

        if (environment != "Development")
        {
            startInfo.Environment["DataProtection__CertificatePath"] = TestCertificates.WritePfx(tempDir);
            startInfo.Environment["DataProtection__CertificatePassword"] = TestCertificates.Password;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var portal = new PortalProcess(process, log, logPath, tempDir, baseUrl);
        process.OutputDataReceived += (_, e) => portal.Record("out", e.Data);
        process.ErrorDataReceived += (_, e) => portal.Record("err", e.Data);

        portal.Record("e2e", $"starting {appHost} in {environment} on {baseUrl} with data in {tempDir}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await portal.WaitForHealthAsync(TimeSpan.FromSeconds(options.Timeouts.AppStartSeconds));
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }

        return portal;
    }

    private async Task WaitForHealthAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        string lastAnswer = "no answer yet";

        do
        {
            if (process.HasExited)
            {
                throw StartFailure($"the portal exited with code {process.ExitCode} before /health answered");
            }

            try
            {
                using var response = await http.GetAsync("health", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Record("e2e", "/health answered 200");
                    return;
                }

                lastAnswer = $"/health answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = ex.Message;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }
            catch (TaskCanceledException)
            {
                // One poll went unanswered for its 5 s (a node still starting on a loaded machine): ask again until the deadline.
                lastAnswer = "/health did not answer within 5 s";
            }
        }
        while (await WaitForNextPollAsync(poll, deadline.Token));

        throw StartFailure($"/health did not answer 200 within {timeout.TotalSeconds:0} s (last: {lastAnswer})");
    }

    private static async Task<bool> WaitForNextPollAsync(PeriodicTimer poll, CancellationToken cancellationToken)
    {
        try
        {
            return await poll.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private InvalidOperationException StartFailure(string reason)
    {
        string lines;
        lock (outputLock)
        {
            lines = string.Join(Environment.NewLine, tail);
        }

        return new InvalidOperationException(
            $"The portal did not start: {reason}. Full log: {LogPath}{Environment.NewLine}Last lines:{Environment.NewLine}{lines}");
    }

    private void Record(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputLock)
        {
            if (logClosed)
            {
                return;
            }

            log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{stream}] {line}");
            tail.Enqueue(line);
            if (tail.Count > LogTailLines)
            {
                tail.Dequeue();
            }
        }
    }

    /// <summary>
    /// The apphost of the host project (framework-dependent). Prefers the configuration these tests were built in
    /// (`dotnet test -c Release` pairs with a Release host), then the other one.
    /// </summary>
    private static string FindAppHost(string root)
    {
        var own = typeof(PortalProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string[] configurations = own == "Release" ? ["Release", "Debug"] : ["Debug", "Release"];
        var candidates = configurations
            .Select(c => Path.Combine(root, "bin", c, "net10.0", AppName))
            .ToList();

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The portal is not built (looked for {string.Join(", ", candidates)}). " +
                "Build it first: dotnet build Cashout.Portal.csproj");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it was doing.</summary>
    public async Task KillAsync()
    {
        Record("e2e", "killing the portal (SIGKILL)");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var exitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(exitTimeout.Token);
            }

            Record("e2e", $"portal stopped (exit code {process.ExitCode})");
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            Record("e2e", $"stopping the portal: {ex.Message}");
        }
        finally
        {
            process.Dispose();
            lock (outputLock)
            {
                logClosed = true;
                log.Dispose();
            }

            TryDelete(tempDir);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the next run uses a new one.
        }
    }
}
