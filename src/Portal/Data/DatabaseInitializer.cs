using Microsoft.Extensions.Options;

namespace Cashout.Portal.Data;

/// <summary>Brings the schema up to date at start, makes sure the roles exist and, where configured, seeds the demo data.</summary>
internal sealed class DatabaseInitializer(IServiceProvider services, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigration>().ApplyAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<PortalRoleSeed>().EnsureRolesAsync();
        if (options.Value.SeedDemoData)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync(options.Value.SeedDemoHistory, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
