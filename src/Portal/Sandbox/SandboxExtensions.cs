using System.Data.Common;
using System.Runtime.CompilerServices;
using Cashout.Portal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Sandbox;

public static class SandboxExtensions
{
    /// <summary>The provider sandbox (docs/decisions/006-provider-adapters-and-sandbox.md); it serves and works only when Sandbox:Enabled.</summary>
    public static void AddProviderSandbox(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.Section)
            .ValidateDataAnnotations()
            .Validate(sandbox => !sandbox.Enabled || development, "Sandbox:Enabled is for Development only: outside it the provider sandbox does not exist.")
            .ValidateOnStart();

        var contentRoot = builder.Environment.ContentRootPath;
        // Pooled, on the portal's SQLite connection (no decimal functions registered at every open): the sandbox shares
        // the portal's two cores in every pipeline run, so its per-request costs are the portal's (docs/performance.md).
        services.AddPooledDbContextFactory<SandboxDbContext>((sp, db) =>
        {
            var path = sp.GetRequiredService<IOptions<SandboxOptions>>().Value.DatabasePath;
#pragma warning disable EF1001 // an internal service replaced: see PortalSqliteConnection
            db.UseSqlite(DataExtensions.ConnectionStringFor(new DatabaseOptions { Path = path }, contentRoot))
                .ReplaceService<ISqliteRelationalConnection, PortalSqliteConnection>()
                .AddInterceptors(new SqliteBusyTimeout(30), new SandboxCommits());
#pragma warning restore EF1001
        });
        services.AddSingleton<SandboxLedger>();
        services.AddHttpClient(SandboxProcessor.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<SandboxStoreInitializer>();
        services.AddHostedService<SandboxProcessor>();
    }
}

/// <summary>Creates the sandbox's file on first start (WAL, like the portal's).</summary>
internal sealed class SandboxStoreInitializer(IDbContextFactory<SandboxDbContext> dbFactory, IOptions<SandboxOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.EnsureCreatedAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The sandbox plays a provider's servers beside the portal, so its file does not wait for the disk at every commit
/// (<c>synchronous = NORMAL</c>, set once per pooled connection): in WAL mode a commit still survives the process being
/// killed (the crash tests kill it), and only the operating system's crash could lose its last ones, which costs a test
/// nothing. The portal's own file keeps waiting for the disk (FULL): its commits are money.
/// </summary>
internal sealed class SandboxCommits : DbConnectionInterceptor
{
    /// <summary>The pooled connections (their SQLite handles) already set; a handle closed with its connection drops out.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Set = new();
    private static readonly object Done = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle!;
        if (Set.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        Set.AddOrUpdate(handle, Done);
    }
}
