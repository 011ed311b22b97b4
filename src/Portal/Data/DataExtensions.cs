using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The SQLite file, relative to the content root unless absolute.</summary>
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
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddPooledDbContextFactory<PortalDbContext>((services, db) =>
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            db.UseSqlite(ConnectionStringFor(options, contentRoot)).AddInterceptors(new SqliteBusyTimeout(options.BusyTimeoutSeconds));
        });
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTransient<DatabaseMigration>();
        builder.Services.AddTransient<DemoSeed>();
        builder.Services.AddTransient<PortalRoleSeed>();
        // Registered before the web server and the scheduler, so both start on a current schema.
        builder.Services.AddHostedService<DatabaseInitializer>();
    }

    public static string ConnectionStringFor(DatabaseOptions options, string contentRoot)
    {
        var path = System.IO.Path.IsPathRooted(options.Path) ? options.Path : System.IO.Path.Combine(contentRoot, options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            DefaultTimeout = options.BusyTimeoutSeconds,
            ForeignKeys = true,
            // Safe since Microsoft.Data.Sqlite 10.0.15 (docs/decisions/014-sqlite-pooling.md).
            Pooling = true,
        }.ToString();
    }
}
