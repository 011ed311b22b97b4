using System.Net;
using Cashout.Portal.Data;
using Cashout.Portal.Providers;
using Cashout.Portal.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The real app, in process, on a real SQLite file of its own (a fresh temp folder per factory), or on a PostgreSQL
/// database of its own when the test run has a server (<see cref="TestDatabase"/>), with the Development demo seed.
/// The scheduler is off: tests run jobs themselves, so nothing happens behind their back.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> settings = [];

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cashout-it", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    private TestDatabase? database;

    /// <summary>This portal's database (created at the first use): the SQLite file at <see cref="DatabasePath"/>, or a PostgreSQL database.</summary>
    public TestDatabase Database => database ??= CreateDatabase();

    /// <summary>
    /// The plain demo seed (the migrated schema, roles, demo users, funds, API credentials and the Data Protection keys
    /// that encrypt their secrets), made once per test process by a portal of its own and copied for each factory
    /// that starts from it: migrating and seeding, three password hashes among it, were a fifth of an integration
    /// test's CPU. The seed's dates are those of the template's clock, a few minutes before a test's at most.
    /// </summary>
    private static readonly Lazy<SeededTemplate> Seeded = new(() => Task.Run(SeedTemplateAsync).GetAwaiter().GetResult());

    private sealed record SeededTemplate(string DataDirectory, string? PostgreSqlName);

    private bool isTemplate;

    /// <summary>Whether this portal starts from the plain demo seed: the Development environment, no Database setting changed.</summary>
    private bool StartsFromPlainSeed =>
        !isTemplate && environment == "Development" && !settings.Keys.Any(key => key.StartsWith("Database:", StringComparison.Ordinal));

    private TestDatabase CreateDatabase()
    {
        if (!StartsFromPlainSeed)
        {
            return TestDatabase.Create(DatabasePath);
        }

        var seeded = Seeded.Value;
        CopyDirectory(seeded.DataDirectory, DataDirectory);
        return TestDatabase.Create(DatabasePath, seeded.PostgreSqlName);
    }

    private static async Task<SeededTemplate> SeedTemplateAsync()
    {
        var template = new PortalFactory { isTemplate = true };
        _ = template.Services; // the app's start: migrations, roles, the demo seed
        await template.DisposeAsync();
        var postgreSqlName = TestDatabase.IsPostgreSql ? template.Database.KeepAsTemplate() : null;
        if (File.Exists(template.DatabasePath))
        {
            // Into the file itself, so a copy of the file alone holds everything (WAL keeps commits beside it).
            SqliteFile.Query(template.DatabasePath, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DeleteDataDirectory();
        return new SeededTemplate(template.DataDirectory, postgreSqlName);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The app's clock: starts at the real time, moves only when a test advances it.</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            RouteProvidersToSandbox(services);
        });
    }

    /// <summary>
    /// The payout adapters talk to the provider sandbox served by the in-process test server (its account and route
    /// checks answer when a method is linked). Tests of the whole pipeline run the portal as a process instead,
    /// where adapters and sandbox meet over real loopback HTTP.
    /// </summary>
    private void RouteProvidersToSandbox(IServiceCollection services)
    {
        if (providersUnreachable)
        {
            return;
        }

        services.AddHttpClient<PayoneerAdapter>().ConfigurePrimaryHttpMessageHandler(() => new TestServerHandler(testServer.Task));
        services.AddHttpClient<TipaltiAdapter>().ConfigurePrimaryHttpMessageHandler(() => new TestServerHandler(testServer.Task));
        services.AddHttpClient<BankAdapter>().ConfigurePrimaryHttpMessageHandler(() => new TestServerHandler(testServer.Task));
    }

    /// <summary>The test server, once the host that serves it has started.</summary>
    private readonly TaskCompletionSource<TestServer> testServer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Hands requests to the in-process test server, waiting for it on the first one. Asking for
    /// <see cref="WebApplicationFactory{TEntryPoint}.Server"/> directly is not safe here: a job that fires while the
    /// host is still starting resolves the adapters, and <c>Server</c> asked for at that moment starts a second host
    /// on the same database, with a second scheduler running the same jobs.
    /// </summary>
    private sealed class TestServerHandler(Task<TestServer> server) : HttpMessageHandler
    {
        private HttpMessageInvoker? invoker;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            invoker ??= new HttpMessageInvoker((await server.WaitAsync(cancellationToken)).CreateHandler());
            return await invoker.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            invoker?.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>The configuration both hosts run with: defaults for tests, then what the test asked for.</summary>
    private Dictionary<string, string?> Settings()
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:SeedDemoData"] = "true",
            // Tests start from the bare demo balances; DemoHistoryTests turns the history on.
            ["Database:SeedDemoHistory"] = "false",
            ["Jobs:Enabled"] = "false",
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:DatabasePath"] = Path.Combine(DataDirectory, "in-process-sandbox.db"), // not the file a portal process of a pipeline test uses
            ["Email:PickupDirectory"] = Path.Combine(DataDirectory, "mail"),
            ["Api:DataProtectionKeysPath"] = Path.Combine(DataDirectory, "keys"),
            // The test server listens on no address; the adapters' in-app sandbox URLs (relative to the portal)
            // resolve against the address its clients use, and go to the test server's handler.
            ["Portal:PublicBaseUrl"] = "http://localhost/",
            // The app's information logs would bury the test runner's output; warnings and errors still show.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in Database.Settings.Concat(settings))
        {
            all[key] = value;
        }

        return all;
    }

    private WebApplication? kestrelApp;

    private bool useKestrel;

    /// <summary>Where the app listens over real HTTP when <see cref="WithKestrel"/> was called (Kestrel on loopback).</summary>
    public Uri? KestrelAddress { get; private set; }

    /// <summary>
    /// Also serves the app over real HTTP (Kestrel on a free loopback port), for tests of the machine APIs: real
    /// sockets, real headers, real body limits. It is a second instance of the same app (built by
    /// <see cref="PortalApp"/>, as Program.cs builds it) over the same database file, clock, settings and Data
    /// Protection keys, so what a test arranges through <see cref="UseAsync{TService, T}"/> the API sees.
    /// </summary>
    public PortalFactory WithKestrel()
    {
        useKestrel = true;
        return this;
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        testServer.TrySetResult((TestServer)host.Services.GetRequiredService<IServer>());
        if (useKestrel)
        {
            // Built directly rather than by building WebApplicationFactory's deferred builder a second time: that
            // trick hooks a process-wide diagnostic listener and, under load, came up without a listener.
            var contentRoot = host.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath;
            kestrelApp = StartKestrelApp(contentRoot);
            KestrelAddress = new Uri(kestrelApp.Urls.Single() + "/");
        }

        return host;
    }

    /// <summary>
    /// Builds the app through its composition root with this factory's settings and starts it directly, then stops it:
    /// for tests of a start that must fail. WebApplicationFactory's deferred host sometimes reports such a failure as an
    /// ObjectDisposedException, hiding the message those tests are about.
    /// </summary>
    public async Task StartDirectlyAsync()
    {
        var web = AppBuilder(Settings());
        web.AddPortal();
        await using var app = web.Build();
        await app.StartAsync();
        await app.StopAsync();
    }

    /// <summary>The app's own builder, outside WebApplicationFactory, in this factory's environment with <paramref name="settings"/>.</summary>
    private WebApplicationBuilder AppBuilder(Dictionary<string, string?> settings, string? contentRoot = null)
    {
        var web = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            Args = PortalApp.HostArguments([]),
            EnvironmentName = environment,
            ContentRootPath = contentRoot,
        });
        web.Configuration.AddInMemoryCollection(settings);
        return web;
    }

    private WebApplication StartKestrelApp(string contentRoot)
    {
        var configuration = Settings();
        configuration["Database:SeedDemoData"] = "false"; // the test host has seeded the file already
        var web = AppBuilder(configuration, contentRoot);
        web.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        web.AddPortal();
        web.Services.AddSingleton<TimeProvider>(Clock);
        RouteProvidersToSandbox(web.Services);

        var app = web.Build();
        app.UsePortal();
        app.StartAsync().GetAwaiter().GetResult();
        return app;
    }

    /// <summary>
    /// The services of the Kestrel host, for what must happen in the process that serves the API (as it does in the
    /// portal, where pages and APIs are one process): a credential rotation evicts that process's credential cache.
    /// </summary>
    public IServiceProvider KestrelServices
    {
        get
        {
            _ = Services;
            return kestrelApp?.Services ?? throw new InvalidOperationException("Call WithKestrel() first.");
        }
    }

    /// <summary>An HttpClient over real HTTP to the Kestrel host.</summary>
    public HttpClient CreateHttpClient()
    {
        _ = Services;
        return new HttpClient { BaseAddress = KestrelAddress ?? throw new InvalidOperationException("Call WithKestrel() first.") };
    }

    private bool providersUnreachable;

    private string environment = "Development";

    /// <summary>
    /// Runs the app in Production: no demo seed and no sandbox (both refuse to start there); the settings Production
    /// requires are given (a Data Protection certificate, provider keys), the provider URLs at a closed loopback port.
    /// Its clients talk https, since Production cookies are Secure (the test server does not care about the scheme).
    /// </summary>
    public PortalFactory InProduction()
    {
        environment = "Production";
        settings["Database:SeedDemoData"] = "false";
        settings["Sandbox:Enabled"] = "false";
        settings["DataProtection:CertificatePath"] = TestCertificates.WritePfx(DataDirectory);
        settings["DataProtection:CertificatePassword"] = TestCertificates.Password;
        foreach (var provider in new[] { "Payoneer", "Tipalti", "Bank" })
        {
            settings[$"Providers:{provider}:ApiKey"] = $"test-{provider}-key";
            settings[$"Providers:{provider}:WebhookSecret"] = "whsec_" + Convert.ToBase64String(new byte[32]);
        }

        return WithUnreachableProviders();
    }

    /// <summary>
    /// The payout adapters call a loopback port where nothing listens (a real refused connection), once and with
    /// no wait: a provider outage.
    /// </summary>
    public PortalFactory WithUnreachableProviders()
    {
        providersUnreachable = true;
        var closedPort = PortalProcess.FreePort();
        foreach (var provider in new[] { "Payoneer", "Tipalti", "Bank" })
        {
            settings[$"Providers:{provider}:BaseUrl"] = $"http://127.0.0.1:{closedPort}/";
            settings[$"Providers:{provider}:MaxAttempts"] = "1";
        }

        return this;
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
        BaseAddress = new Uri(environment == "Development" ? "http://localhost" : "https://localhost"),
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

    /// <summary>
    /// Another writer holds what a write of <paramref name="merchantId"/> needs, until disposed: SQLite's one write
    /// lock (BEGIN IMMEDIATE on a connection of its own), or on PostgreSQL the merchant's lock (WriterLocks).
    /// </summary>
    public async Task<IAsyncDisposable> HoldWritersAsync(string merchantId)
    {
        if (!TestDatabase.IsPostgreSql)
        {
            return await SqliteFile.LockAsync(DatabasePath);
        }

        var db = Database.CreateBareContext();
        var transaction = await db.Database.BeginTransactionAsync();
        await db.LockMerchantAsync(merchantId, CancellationToken.None);
        return new Held(db, transaction);
    }

    private sealed class Held(PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    public override async ValueTask DisposeAsync()
    {
        if (kestrelApp is not null)
        {
            await kestrelApp.StopAsync();
            await kestrelApp.DisposeAsync();
        }

        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (isTemplate)
        {
            return;
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }

        DeleteDataDirectory();
    }

    private void DeleteDataDirectory()
    {
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
