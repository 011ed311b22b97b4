using Cashout.Portal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cashout.Portal.IntegrationTests.Data;

public sealed class SchemaMigratorTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cashout-schema", Guid.NewGuid().ToString("N"));

    public SchemaMigratorTests() => Directory.CreateDirectory(folder);

    [Fact]
    public async Task Migrated_schema_matches_the_EF_model_when_all_scripts_are_applied()
    {
        var migrated = await MigrateAsync("migrated.db");
        var fromModel = Path.Combine(folder, "model.db");
        await using (var db = Context(fromModel))
        {
            // Only here, on a scratch file, to see what the model expects. The app never calls EnsureCreated.
            await db.Database.EnsureCreatedAsync();
        }

        var expected = Describe(fromModel);
        var actual = Describe(migrated).Where(line => !line.StartsWith("__SchemaVersions", StringComparison.Ordinal)).ToList();
        Assert.True(expected.SequenceEqual(actual),
            "The migration scripts do not produce the model's schema. Write the next script in src/Portal/Data/Migrations. " +
            $"Missing: {string.Join(", ", expected.Except(actual))}. Unexpected: {string.Join(", ", actual.Except(expected))}.");
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_when_the_schema_is_current()
    {
        var path = await MigrateAsync("twice.db");
        var before = Describe(path);

        await using (var db = Context(path))
        {
            await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        }

        Assert.Equal(before, Describe(path));
        Assert.Equal(SchemaMigrator.EmbeddedScripts().Select(s => (long)s.Version), Query(path, "SELECT Version FROM __SchemaVersions ORDER BY Version").Select(r => (long)r[0]));
        Assert.Equal("wal", Query(path, "PRAGMA journal_mode").Single()[0]);
    }

    [Fact]
    public void Embedded_scripts_are_numbered_from_one_without_gaps()
    {
        var versions = SchemaMigrator.EmbeddedScripts().Select(s => s.Version).ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    private async Task<string> MigrateAsync(string file)
    {
        var path = Path.Combine(folder, file);
        await using var db = Context(path);
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        return path;
    }

    private static PortalDbContext Context(string path) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={path}").Options);

    /// <summary>Every table's columns (name, type, not null, key) and every index, one line each, sorted.</summary>
    private static List<string> Describe(string path)
    {
        var lines = new List<string>();
        foreach (var table in Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Select(r => (string)r[0]))
        {
            lines.AddRange(Query(path, $"PRAGMA table_info(\"{table}\")").Select(c => $"{table}.{c[1]} {c[2]} notnull={c[3]} pk={c[5]}"));
        }

        lines.AddRange(Query(path, "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            .Select(r => $"{r[0]} index {r[1]}: {r[2]}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static List<object[]> Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
