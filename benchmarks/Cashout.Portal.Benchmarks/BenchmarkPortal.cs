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
/// SQLite file migrated by the app's own DatabaseMigration, or, when CASHOUT_BENCH_POSTGRES names a PostgreSQL server
/// (scripts/postgres.sh starts one), on a fresh database there. The host is built but never started: no web server,
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

    /// <summary>The PostgreSQL server the benchmarks run on (CASHOUT_BENCH_POSTGRES), or null: SQLite.</summary>
    public static string? PostgreSqlServer => Environment.GetEnvironmentVariable("CASHOUT_BENCH_POSTGRES") is { Length: > 0 } server ? server : null;

    private string? postgresDatabase;

    /// <summary>The settings that point a portal process at this benchmark's database.</summary>
    public Dictionary<string, string> DatabaseSettings => postgresDatabase is null
        ? new() { ["Database:Path"] = DatabasePath }
        : new()
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Portal"] = new Npgsql.NpgsqlConnectionStringBuilder(PostgreSqlServer) { Database = postgresDatabase }.ConnectionString,
        };

    /// <summary>What the figures stand on, for their headings.</summary>
    public string Engine => postgresDatabase is null ? "SQLite (WAL, FULL)" : "PostgreSQL";

    /// <param name="settings">Configuration on top of the benchmark's own (e.g. where the SMTP server listens).</param>
    public static async Task<BenchmarkPortal> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        // On the same disk as the app's data/ folder (not a tmpfs), so commits pay for a real fsync.
        var directory = Path.Combine(Path.GetTempPath(), "cashout-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = PortalApp.HostArguments([]), ContentRootPath = directory, EnvironmentName = Environments.Production });
        string? postgresDatabase = null;
        if (PostgreSqlServer is { } server)
        {
            postgresDatabase = "bench_" + Guid.NewGuid().ToString("N");
            await ExecuteOnServerAsync(server, $"CREATE DATABASE \"{postgresDatabase}\"");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Portal"] = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = postgresDatabase }.ConnectionString,
            });
        }

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

        var portal = new BenchmarkPortal(directory, app) { postgresDatabase = postgresDatabase };
        await portal.Services.GetRequiredService<DatabaseMigration>().ApplyAsync();
        return portal;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public PortalDbContext CreateDbContext() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>Folds the write-ahead log into the database file, as the engine's automatic checkpoints do in steady state.</summary>
    public async Task CheckpointAsync()
    {
        await using var db = CreateDbContext();
        await db.Database.ExecuteSqlRawAsync(postgresDatabase is null ? "PRAGMA wal_checkpoint(TRUNCATE);" : "CHECKPOINT;");
    }

    internal static async Task ExecuteOnServerAsync(string server, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Scope.DisposeAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (postgresDatabase is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await ExecuteOnServerAsync(PostgreSqlServer!, $"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)");
        }

        Directory.Delete(directory, recursive: true);
    }
}
