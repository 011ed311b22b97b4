using System.Collections.Concurrent;
using System.Data.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Tests.Shared;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>The schema comes from the EF Core migrations in src/Portal/Data/Migrations/Sqlite, applied at start.</summary>
public sealed class MigrationTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "cashout-migrations", Guid.NewGuid().ToString("N"));

    public MigrationTests() => Directory.CreateDirectory(folder);

    [Fact]
    public async Task Fresh_database_gets_every_migration_at_start_and_the_model_has_no_pending_changes()
    {
        await using var portal = new PortalFactory();

        var (migrations, pendingModelChanges) = await portal.WithDbAsync(db => Task.FromResult((db.Database.GetMigrations().ToList(), db.Database.HasPendingModelChanges())));

        Assert.False(pendingModelChanges, "The EF model has changes that no migration makes: add one to each provider's set (README, \"Changing the schema\").");
        Assert.NotEmpty(migrations);
        Assert.Equal(migrations, await portal.WithDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
        if (!TestDatabase.IsPostgreSql)
        {
            Assert.Equal("wal", SqliteFile.Query(portal.DatabasePath, "PRAGMA journal_mode").Single()[0]);
            Assert.DoesNotContain("__SchemaVersions", SqliteFile.Tables(portal.DatabasePath));
        }
    }

    [Fact]
    public async Task Each_provider_has_its_own_migrations_set_and_both_make_the_same_tables()
    {
        var sqlite = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=:memory:").Options);
        var postgres = new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql("Host=unused").Options);

        var sqliteMigrations = sqlite.Database.GetMigrations().ToList();
        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        Assert.NotEmpty(postgresMigrations);
        Assert.Empty(sqliteMigrations.Intersect(postgresMigrations));
        Assert.False(postgres.Database.HasPendingModelChanges(), "The PostgreSQL model has changes that no migration of its set makes (README, \"Changing the schema\").");
        Assert.False(sqlite.Database.HasPendingModelChanges(), "The SQLite model has changes that no migration of its set makes (README, \"Changing the schema\").");
        // The PostgreSQL model adds the Data Protection key ring (shared by the nodes); SQLite keeps it in files.
        Assert.Equal(
            Tables(sqlite).Append("DataProtectionKeys").Order(),
            Tables(postgres).Order());

        static IEnumerable<string> Tables(PortalDbContext db) => db.Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct();
    }

    [Fact]
    [Trait("Database", "SqliteOnly")]
    public async Task Initial_migration_makes_the_schema_the_SQL_scripts_made()
    {
        var scripts = Path.Combine(folder, "scripts.db");
        LegacySchema.Create(scripts);
        var migrated = Path.Combine(folder, "initial.db");
        await using (var db = Context(migrated))
        {
            await db.GetService<IMigrator>().MigrateAsync(LegacySchemaAdoption.InitialMigrationId);
        }

        AssertSameSchema(SqliteFile.DescribeSchema(scripts), SqliteFile.DescribeSchema(migrated));
    }

    [Fact]
    [Trait("Database", "SqliteOnly")]
    public async Task Starting_again_on_a_current_database_changes_nothing()
    {
        var path = Path.Combine(folder, "twice.db");
        await using (var db = Context(path))
        {
            await Migration(db).ApplyAsync();
        }

        var schema = SqliteFile.DescribeSchema(path);
        var history = History(path);
        await using (var db = Context(path))
        {
            await Migration(db).ApplyAsync();
        }

        Assert.Equal(schema, SqliteFile.DescribeSchema(path));
        Assert.Equal(history, History(path));
    }

    [Fact]
    [Trait("Database", "SqliteOnly")]
    public async Task Two_starts_at_once_apply_each_migration_once_because_the_second_waits_for_the_migrations_lock()
    {
        var path = Path.Combine(folder, "race.db");
        var first = new CommandProbe(pauseOn: "CREATE TABLE \"AspNetRoles\"");
        var second = new CommandProbe();
        await using var firstDb = Context(path, first);
        await using var secondDb = Context(path, second);

        // The first start stops inside the initial migration, so the second one starts while it is under way.
        var firstStart = Task.Run(() => Migration(firstDb).ApplyAsync());
        if (await Task.WhenAny(first.Paused.Task, firstStart).WaitAsync(Patience) == firstStart)
        {
            await firstStart;
            Assert.Fail("The first start never ran the initial migration.");
        }

        var secondStart = Task.Run(() => Migration(secondDb).ApplyAsync());
        await Eventually.TrueAsync(
            () => Task.FromResult(second.Commands.Any(IsLockRequest) || secondStart.IsCompleted),
            "the second start asks for EF Core's migrations lock");
        Assert.False(secondStart.IsCompleted, "The second start finished while the first was still migrating.");
        first.Release.SetResult();
        await Task.WhenAll(firstStart, secondStart).WaitAsync(Patience);

        Assert.Single(first.Commands, c => c.Contains("CREATE TABLE \"AspNetRoles\"", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Commands, c => c.Contains("CREATE TABLE \"AspNetRoles\"", StringComparison.Ordinal));
        Assert.Equal(firstDb.Database.GetMigrations(), AppliedMigrations(path));
        Assert.Empty(SqliteFile.Query(path, "SELECT * FROM __EFMigrationsLock"));
    }

    /// <summary>What __EFMigrationsHistory records, read from the file itself.</summary>
    internal static List<string> AppliedMigrations(string path) =>
        [.. SqliteFile.Query(path, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId").Select(r => (string)r[0])];

    private static List<string> History(string path) =>
        [.. SqliteFile.Query(path, "SELECT MigrationId, ProductVersion FROM __EFMigrationsHistory ORDER BY MigrationId").Select(r => $"{r[0]} {r[1]}")];

    private static bool IsLockRequest(string sql) =>
        sql.Contains("INSERT", StringComparison.OrdinalIgnoreCase) && sql.Contains("__EFMigrationsLock", StringComparison.Ordinal);

    internal static void AssertSameSchema(List<string> expected, List<string> actual) =>
        Assert.True(expected.SequenceEqual(actual),
            $"The schemas differ.\nMissing: {string.Join("\n  ", expected.Except(actual))}\nUnexpected: {string.Join("\n  ", actual.Except(expected))}");

    private static DatabaseMigration Migration(PortalDbContext db) => new(db, NullLogger<DatabaseMigration>.Instance);

    /// <summary>A context on the file as the app opens it (its connection string and busy timeout).</summary>
    private PortalDbContext Context(string path, params IInterceptor[] interceptors)
    {
        var options = new DatabaseOptions { Path = path };
        return new(new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite(DataExtensions.ConnectionStringFor(options, folder))
            .AddInterceptors([new SqliteBusyTimeout(options.BusyTimeoutSeconds), .. interceptors])
            .Options);
    }

    /// <summary>Records every command a context runs and can hold the first one that contains <paramref name="pauseOn"/>.</summary>
    private sealed class CommandProbe(string? pauseOn = null) : DbCommandInterceptor
    {
        public ConcurrentQueue<string> Commands { get; } = new();

        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
            See(command, result);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            See(command, result);

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
            See(command, result);

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            await SeeAsync(command, result, cancellationToken);

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            await SeeAsync(command, result, cancellationToken);

        public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            await SeeAsync(command, result, cancellationToken);

        private T See<T>(DbCommand command, T result)
        {
            Commands.Enqueue(command.CommandText);
            return result;
        }

        private async Task<T> SeeAsync<T>(DbCommand command, T result, CancellationToken cancellationToken)
        {
            Commands.Enqueue(command.CommandText);
            if (pauseOn is not null && command.CommandText.Contains(pauseOn, StringComparison.Ordinal) && Paused.TrySetResult())
            {
                await Release.Task.WaitAsync(Patience, cancellationToken);
            }

            return result;
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
