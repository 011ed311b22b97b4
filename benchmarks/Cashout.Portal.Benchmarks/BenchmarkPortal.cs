using System.Runtime.CompilerServices;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.Data.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// The portal's services as the app registers them (AddPortalData, AddPortalEmail, AddCashoutCore), on a fresh
/// SQLite file migrated by the app's own DatabaseMigration. The host is built but never started: no web server,
/// no jobs, no hosted services, so nothing else touches the database while a benchmark runs.
/// </summary>
public sealed class BenchmarkPortal : IAsyncDisposable
{
    private readonly string directory;
    private readonly WebApplication app;

    private BenchmarkPortal(string directory, WebApplication app)
    {
        this.directory = directory;
        this.app = app;
        Scope = app.Services.CreateAsyncScope();
    }

    /// <summary>One scope for the whole run: the use cases resolved from it take a context per operation from the factory.</summary>
    public AsyncServiceScope Scope { get; }

    public IServiceProvider Services => Scope.ServiceProvider;

    public string DatabasePath => Path.Combine(directory, "cashout.db");

    /// <param name="settings">Configuration on top of the benchmark's own (e.g. where the SMTP server listens).</param>
    public static async Task<BenchmarkPortal> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        // On the same disk as the app's data/ folder (not a tmpfs), so commits pay for a real fsync.
        var directory = Path.Combine(Path.GetTempPath(), "cashout-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Path)}"] = Path.Combine(directory, "cashout.db"),
            // The app's appsettings.json levels: EF Core's per-command log lines would otherwise dominate the timings.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            // Never started, so nothing runs in the background; a throwaway folder needs no key certificate.
            ["Jobs:Enabled"] = "false",
            ["DataProtection:AllowUnprotectedKeys"] = "true",
            // Merchants link a method and cash out at once: the cooling-off rule would hold every cashout (ADR 019).
            ["Payouts:CoolingOffHours"] = "0",
            // Never started, so the portal cannot learn its address from the server: links in emails use this one.
            ["Portal:PublicBaseUrl"] = "http://127.0.0.1:5080/",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        // The app's own composition root, so a use case gets every collaborator it has in the app.
        builder.AddPortal();
        var app = builder.Build();

        var portal = new BenchmarkPortal(directory, app);
        await portal.Services.GetRequiredService<DatabaseMigration>().ApplyAsync();
        return portal;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public PortalDbContext CreateDbContext() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>Folds the write-ahead log into the database file, as SQLite's automatic checkpoints do in steady state.</summary>
    public async Task CheckpointAsync()
    {
        await using var db = CreateDbContext();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    public async ValueTask DisposeAsync()
    {
        await Scope.DisposeAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
