using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The real, built portal as its own process, on Kestrel on a free loopback port, over a database file the test
/// also opens (through a <see cref="PortalFactory"/> with jobs off). Its provider sandbox runs inside it and talks to
/// it over real HTTP. <see cref="KillAsync"/> is SIGKILL: nothing gets to clean up, as in a crash.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];

    private PortalProcess(Process process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => process.Id;

    /// <summary>CPU time the portal process has used so far (all its threads).</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>The last lines the portal wrote, for failure messages.</summary>
    public string Tail
    {
        get
        {
            lock (output)
            {
                return string.Join(Environment.NewLine, output.TakeLast(40));
            }
        }
    }

    /// <summary>Starts the portal with <paramref name="settings"/> (configuration keys, e.g. <c>Jobs:Enabled</c>) and waits for /health.</summary>
    public static async Task<PortalProcess> StartAsync(int port, IReadOnlyDictionary<string, string> settings)
    {
        var root = RepositoryRoot();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(AppHost(root))
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "--contentRoot", root },
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = baseUrl.GetLeftPart(UriPartial.Authority);
        // The tests' database starts from the bare demo balances: no demo history seeded into it by this process.
        start.Environment["Database__SeedDemoHistory"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var portal = new PortalProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => portal.Record(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.TrueAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The portal exited with code {process.ExitCode}:{Environment.NewLine}{portal.Tail}");
                }

                try
                {
                    return (await http.GetAsync("health")).IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, "the portal process answers /health", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }

        return portal;
    }

    /// <summary>
    /// Runs the built portal's operator command line (e.g. <c>admin create</c>) in <paramref name="environment"/> with
    /// <paramref name="settings"/>, to its end; returns its exit code and everything it wrote.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string environment, IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo(AppHost(root))
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(root);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cashout.Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cashout.Portal.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The apphost the build of this test project produced (same configuration).</summary>
    private static string AppHost(string root)
    {
        var configuration = typeof(PortalProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(root, "bin", configuration, "net10.0", "Cashout.Portal");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The portal is not built at {path}: dotnet build Cashout.Portal.sln");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"portal process on {BaseUrl}");
}
