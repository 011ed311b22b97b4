using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>Every connection the app opens waits on a locked database with SQLite's own busy handler, for the configured time.</summary>
[Trait("Database", "SqliteOnly")]
public sealed class SqliteBusyTimeoutTests : IAsyncLifetime
{
    private readonly PortalFactory portal = new PortalFactory().WithSetting("Database:BusyTimeoutSeconds", "7");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Sets_the_configured_busy_timeout_on_each_connection_when_contexts_are_lent_again()
    {
        for (var use = 0; use < 3; use++)
        {
            var timeout = await portal.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT timeout AS Value FROM pragma_busy_timeout").SingleAsync());
            Assert.Equal(7_000, timeout);
        }
    }
}
