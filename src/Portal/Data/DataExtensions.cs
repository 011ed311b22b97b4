using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Data;

/// <summary>The database engine: the embedded SQLite file (one node), or a PostgreSQL server (one or several nodes).</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The connection string's name (ConnectionStrings:Portal) when the provider is PostgreSQL.</summary>
    public const string ConnectionStringName = "Portal";

    /// <summary>Sqlite (the default: a file, one node) or PostgreSql (ConnectionStrings:Portal; several nodes may share it).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The SQLite file, relative to the content root unless absolute (Sqlite only).</summary>
    [Required]
    public string Path { get; set; } = "data/cashout.db";

    /// <summary>How long a command waits for the write lock before it gives up (background jobs, pages).</summary>
    [Range(1, 600)]
    public int BusyTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long an API request waits for the write lock: then it answers 503 with Retry-After, nothing written
    /// (a machine client retries; one left waiting 30 s only ties up connections).
    /// </summary>
    [Range(1, 600)]
    public int RequestBusyTimeoutSeconds { get; set; } = 5;

    /// <summary>Seeds the demo users and balances (Development only; see README).</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>
    /// With the demo data, a linked Payoneer payee and a month of cashouts in every ending status for the demo merchant,
    /// and one on hold for a second merchant, so a first look at the portal shows something real. Tests leave it off:
    /// they start from the bare demo balances.
    /// </summary>
    public bool SeedDemoHistory { get; set; }
}

public static class DataExtensions
{
    public static void AddPortalData(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(database => !database.SeedDemoData || development, "Database:SeedDemoData is for Development only: the demo accounts have published passwords.")
            .ValidateOnStart();

        // Blazor Server circuits live long: pages and use cases take one context per operation from the
        // factory. Identity's stores want a scoped context, which the factory also provides. The contexts are
        // pooled: a new context resolved EF Core's internal services on every creation, a fifth of an API status
        // call's time when profiled (docs/performance.md); a pooled one is reset and lent again.
        // Interceptors other features need (the job triggers after a commit) are registered as IPortalDbInterceptor.
        var contentRoot = builder.Environment.ContentRootPath;
        if (ProviderOf(builder.Configuration) == DatabaseProvider.PostgreSql)
        {
            // Its own context type, so its own migrations set (docs/decisions/013-ef-core-migrations.md); the use
            // cases still ask for PortalDbContext.
            var connectionString = PostgreSqlConnectionString(builder.Configuration);
            builder.Services.AddPooledDbContextFactory<PostgreSqlPortalDbContext>((services, db) =>
            {
                var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                db.UseNpgsql(WithLockTimeout(connectionString, options.BusyTimeoutSeconds))
                    .AddInterceptors(services.GetServices<IPortalDbInterceptor>());
            });
            builder.Services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp =>
                new BaseContextFactory<PostgreSqlPortalDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlPortalDbContext>>()));
        }
        else
        {
            builder.Services.AddPooledDbContextFactory<PortalDbContext>((services, db) =>
            {
                var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
#pragma warning disable EF1001 // an internal service replaced: see PortalSqliteConnection
                db.UseSqlite(ConnectionStringFor(options, contentRoot))
                    .ReplaceService<ISqliteRelationalConnection, PortalSqliteConnection>()
                    .ReplaceService<IRelationalTransactionFactory, QueuedTransactionFactory>()
                    .AddInterceptors(new SqliteBusyTimeout(options.BusyTimeoutSeconds), services.GetRequiredService<SqliteWriterQueue>())
                    .AddInterceptors(services.GetServices<IPortalDbInterceptor>());
#pragma warning restore EF1001
            });
            // One per file and process: it keeps the write connection, closed when the app stops.
            builder.Services.AddSingleton(services =>
            {
                var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                return new SqliteWriterQueue(ConnectionStringFor(options, contentRoot), options.BusyTimeoutSeconds, services.GetRequiredService<IMeterFactory>());
            });
            builder.Services.AddSingleton(services =>
            {
                var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                return new SqliteReaders(ConnectionStringFor(options, contentRoot), options.BusyTimeoutSeconds);
            });
        }

        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());

        var severalNodes = ProviderOf(builder.Configuration) == DatabaseProvider.PostgreSql;
        builder.Services.AddSingleton(new ChangeFeed(crossesNodes: severalNodes));
        if (severalNodes)
        {
            builder.Services.AddHostedService<PostgreSqlChangeFeed>();
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTransient<DatabaseMigration>();
        builder.Services.AddTransient<DemoSeed>();
        builder.Services.AddTransient<PortalRoleSeed>();
        // Registered before the web server and the scheduler, so both start on a current schema.
        builder.Services.AddHostedService<DatabaseInitializer>();
    }

    public static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        configuration.GetValue($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}", DatabaseProvider.Sqlite);

    /// <summary>ConnectionStrings:Portal, required when Database:Provider is PostgreSql.</summary>
    public static string PostgreSqlConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                $"Database:Provider is PostgreSql but ConnectionStrings:{DatabaseOptions.ConnectionStringName} is empty; give it, e.g. " +
                $"ConnectionStrings__{DatabaseOptions.ConnectionStringName}=\"Host=db;Database=cashout;Username=cashout;Password=...\".")
            : connectionString;
    }

    /// <summary>
    /// A statement waits at most Database:BusyTimeoutSeconds for a lock (a merchant's, a row's), then fails as busy,
    /// unless the connection string's Options set lock_timeout already. Set when the server connection starts: no
    /// round trip per use.
    /// </summary>
    internal static string WithLockTimeout(string connectionString, int seconds)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("lock_timeout", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c lock_timeout={seconds * 1000}".Trim();
        }

        return builder.ConnectionString;
    }

    public static string ConnectionStringFor(DatabaseOptions options, string contentRoot)
    {
        var path = System.IO.Path.IsPathRooted(options.Path) ? options.Path : System.IO.Path.Combine(contentRoot, options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            DefaultTimeout = options.BusyTimeoutSeconds,
            // Foreign keys are on: SQLitePCLRaw's e_sqlite3 is built with SQLITE_DEFAULT_FOREIGN_KEYS=1, so no
            // PRAGMA runs on every open (SqliteConnectionTests pins it).
            // Safe since Microsoft.Data.Sqlite 10.0.15 (docs/decisions/014-sqlite-pooling.md).
            Pooling = true,
        }.ToString();
    }
}

/// <summary>An EF Core interceptor every portal context gets, whatever the provider (registered by the feature that needs it).</summary>
public interface IPortalDbInterceptor : Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor;

/// <summary>Lends a provider's derived context where the portal asks for <see cref="PortalDbContext"/>.</summary>
internal sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
    where TContext : PortalDbContext
{
    public PortalDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
