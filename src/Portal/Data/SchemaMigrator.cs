using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Data;

/// <summary>
/// Creates and upgrades the schema from the numbered SQL scripts embedded from Data/Migrations
/// (<c>NNNN_Name.sql</c>), each applied once, in order, in its own transaction, and recorded in
/// <c>__SchemaVersions</c>. `dotnet ef` cannot run on this registry (docs/decisions/004-sqlite-workaround.md),
/// so scripts are written by hand; SchemaMigratorTests prove they produce the schema the EF model expects.
/// </summary>
public sealed partial class SchemaMigrator(PortalDbContext db, ILogger<SchemaMigrator> logger)
{
    public sealed record Script(int Version, string Name, string Sql);

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);

        // WAL lets readers go on while one writer commits; the setting is stored in the file itself.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS __SchemaVersions (Version INTEGER NOT NULL PRIMARY KEY, Name TEXT NOT NULL, AppliedAt TEXT NOT NULL);",
            cancellationToken);

        foreach (var script in EmbeddedScripts())
        {
            // BEGIN IMMEDIATE takes the write lock first, so two processes starting together apply each script once.
            await using var transaction = connection.BeginTransaction(deferred: false);
            if (await IsAppliedAsync(connection, transaction, script.Version, cancellationToken))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO __SchemaVersions (Version, Name, AppliedAt) VALUES ($version, $name, $at);";
                record.Parameters.AddWithValue("$version", script.Version);
                record.Parameters.AddWithValue("$name", script.Name);
                record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied schema migration {Version} {Name}", script.Version, script.Name);
        }
    }

    public static IReadOnlyList<Script> EmbeddedScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = new List<Script>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add(new Script(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    private static async Task<bool> IsAppliedAsync(SqliteConnection connection, SqliteTransaction transaction, int version, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM __SchemaVersions WHERE Version = $version;";
        command.Parameters.AddWithValue("$version", version);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"^Migrations/(?<version>\d{4})_(?<name>\w+)\.sql$")]
    private static partial Regex ScriptName();
}
