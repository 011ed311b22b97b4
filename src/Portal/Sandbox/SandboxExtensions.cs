using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
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
        services.AddDbContextFactory<SandboxDbContext>((sp, db) =>
        {
            var path = sp.GetRequiredService<IOptions<SandboxOptions>>().Value.DatabasePath;
            db.UseSqlite(DataExtensions.ConnectionStringFor(new DatabaseOptions { Path = path }, contentRoot)).AddInterceptors(new SqliteBusyTimeout(30));
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
