using Cashout.Portal.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The real app, in process, on a real SQLite file of its own (a fresh temp folder per factory), with the
/// Development demo seed. The scheduler is off: tests run jobs themselves, so nothing happens behind their back.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> settings = [];

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cashout-it", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    /// <summary>The app's clock: starts at the real time, moves only when a test advances it.</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Path", DatabasePath);
        builder.UseSetting("Database:SeedDemoData", "true");
        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("Sandbox:Enabled", "false");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(DataDirectory, "mail"));
        builder.UseSetting("Api:DataProtectionKeysPath", Path.Combine(DataDirectory, "keys"));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private IHost? kestrelHost;

    /// <summary>Where the app listens over real HTTP when <see cref="WithKestrel"/> was called (Kestrel on loopback).</summary>
    public Uri? KestrelAddress { get; private set; }

    /// <summary>
    /// Also serves the app over real HTTP (Kestrel on a free loopback port), for tests of the machine APIs: real
    /// sockets, real headers, real body limits. The in-process test server is still built (the factory needs it);
    /// both hosts share the database file, the clock and the Data Protection keys.
    /// </summary>
    public PortalFactory WithKestrel()
    {
        // A port chosen here rather than read back from the server: the addresses feature of the second host is
        // not always filled in when several factories run in one process.
        KestrelAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        useKestrel = true;
        return this;
    }

    private bool useKestrel;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (!useKestrel)
        {
            return base.CreateHost(builder);
        }

        var testHost = builder.Build();
        // The minimal-hosting builder runs both apps' start-up concurrently: only the test host seeds (the migrator
        // is safe to run twice at once: each script is applied under the write lock).
        builder.ConfigureWebHost(web => web.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, KestrelAddress!.Port)).UseSetting("Database:SeedDemoData", "false"));
        // Both builds first, then both starts: building the same minimal-hosting builder twice is how this gets a
        // second, Kestrel-served host, and it only works in this order.
        kestrelHost = builder.Build();
        testHost.Start();
        kestrelHost.Start();
        // Under load the second build has been seen to come up without its listener (connection refused):
        // build it again then, at most twice more.
        for (var attempt = 0; attempt < 2 && !IsListening(KestrelAddress!.Port); attempt++)
        {
            kestrelHost.Dispose();
            kestrelHost = builder.Build();
            kestrelHost.Start();
        }

        return testHost;
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An HttpClient over real HTTP to the Kestrel host.</summary>
    public HttpClient CreateHttpClient()
    {
        _ = Services;
        return new HttpClient { BaseAddress = KestrelAddress ?? throw new InvalidOperationException("Call WithKestrel() first.") };
    }

    public PortalFactory WithSetting(string key, string value)
    {
        settings[key] = value;
        return this;
    }

    /// <summary>Sends email over SMTP to a server on this loopback port instead of the pickup folder.</summary>
    public PortalFactory WithSmtp(int port)
    {
        settings["Email:PickupDirectory"] = "";
        settings["Email:SmtpHost"] = "127.0.0.1";
        settings["Email:SmtpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Email:SmtpTimeoutSeconds"] = "5";
        return this;
    }

    public HttpClient CreateBrowserlessClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("http://localhost"),
    });

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>Calls a use case (or any service) resolved from a scope of its own, as a request would.</summary>
    public async Task<T> UseAsync<TService, T>(Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    public override async ValueTask DisposeAsync()
    {
        if (kestrelHost is not null)
        {
            await kestrelHost.StopAsync();
            kestrelHost.Dispose();
        }

        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the next run uses a new one.
        }
    }
}
