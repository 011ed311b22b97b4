using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// What the app's SQLite connections rely on without asking on every open: foreign keys on by the library's build,
/// and no decimal in the model, so EF Core's decimal functions (not registered, PortalSqliteConnection)
/// are never needed.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SqliteConnectionTests : IAsyncLifetime
{
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Enforces_foreign_keys_on_every_connection_when_contexts_are_lent_again()
    {
        for (var use = 0; use < 3; use++)
        {
            var enforced = await portal.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT foreign_keys AS Value FROM pragma_foreign_keys").SingleAsync());
            Assert.Equal(1, enforced);
        }
    }

    [Fact]
    public async Task Maps_no_decimal_so_no_query_needs_the_decimal_functions()
    {
        var decimals = await portal.WithDbAsync(db => Task.FromResult(
            db.Model.GetEntityTypes()
                .SelectMany(entity => entity.GetProperties())
                .Where(property => Nullable.GetUnderlyingType(property.ClrType) == typeof(decimal) || property.ClrType == typeof(decimal)
                    || property.GetProviderClrType() == typeof(decimal))
                .Select(property => $"{property.DeclaringType.DisplayName()}.{property.Name}")
                .ToList()));

        Assert.Empty(decimals);
    }
}
