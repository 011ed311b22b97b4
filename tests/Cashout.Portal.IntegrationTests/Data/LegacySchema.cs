using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// Makes a database the way the portal did before EF Core migrations: the five SQL scripts kept here
/// (Data/LegacySchema, embedded), each applied once, in order, in its own BEGIN IMMEDIATE transaction and recorded in
/// <c>__SchemaVersions</c>, in WAL mode. The same steps, byte for byte the same scripts, as the removed SchemaMigrator.
/// </summary>
public static partial class LegacySchema
{
    public const int LastVersion = 5;

    public static void Create(string path, int throughVersion = LastVersion)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS __SchemaVersions (Version INTEGER NOT NULL PRIMARY KEY, Name TEXT NOT NULL, AppliedAt TEXT NOT NULL);");
        foreach (var (version, name, sql) in Scripts().Where(s => s.Version <= throughVersion))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, transaction, sql);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO __SchemaVersions (Version, Name, AppliedAt) VALUES ($version, $name, $at);";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$name", name);
                record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Scripts()
    {
        var assembly = typeof(LegacySchema).Assembly;
        var scripts = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (match.Success)
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                scripts.Add((int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
            }
        }

        Assert.Equal(Enumerable.Range(1, LastVersion), scripts.Select(s => s.Version).Order());
        return scripts.OrderBy(s => s.Version);
    }

    [GeneratedRegex(@"^LegacySchema/(?<version>\d{4})_(?<name>\w+)\.sql$")]
    private static partial Regex ScriptName();
}
