using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cashout.Portal.Tests.Shared;

/// <summary>
/// Where a test's portal keeps its data: a SQLite file in the test's folder (the default), or, when the environment
/// variable <see cref="ServerVariable"/> names a PostgreSQL server (scripts/test.sh starts a throwaway one), a database
/// of its own on that server, cloned from a template migrated once per test process (schema and Hangfire's tables),
/// and dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "CASHOUT_TEST_POSTGRES";

    private static readonly Lazy<string> Template = new(CreateTemplate);

    private TestDatabase(IReadOnlyDictionary<string, string> settings, string? name)
    {
        Settings = settings;
        Name = name;
    }

    /// <summary>The server's connection string (no database), or null: the tests run on SQLite.</summary>
    public static string? Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : null;

    public static bool IsPostgreSql => Server is not null;

    /// <summary>The settings that point a portal at this database.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The PostgreSQL database's name; null on SQLite.</summary>
    public string? Name { get; }

    /// <summary>A connection string to this PostgreSQL database.</summary>
    public string ConnectionString => Name is null
        ? throw new InvalidOperationException("The tests run on SQLite.")
        : new NpgsqlConnectionStringBuilder(Server) { Database = Name }.ConnectionString;

    private string? sqliteFile;

    /// <summary>A context on this database without the app's interceptors: another writer, behind the app's back.</summary>
    public PortalDbContext CreateBareContext() => Name is null
        ? new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={sqliteFile}").Options)
        : new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>
    /// A database for a portal: on SQLite the file <paramref name="sqliteFile"/> (as it is: empty, or copied from a
    /// template by the caller); on PostgreSQL a new database cloned from <paramref name="template"/>, or from the
    /// migrated template when null.
    /// </summary>
    public static TestDatabase Create(string sqliteFile, string? template = null)
    {
        if (Server is null)
        {
            return new TestDatabase(new Dictionary<string, string> { ["Database:Path"] = sqliteFile }, null) { sqliteFile = sqliteFile };
        }

        var name = "portal_" + Guid.NewGuid().ToString("N");
        Execute(Server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template ?? Template.Value}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
        return new TestDatabase(
            new Dictionary<string, string>
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Portal"] = connectionString,
            },
            name);
    }

    public ValueTask DisposeAsync()
    {
        if (Name is not null)
        {
            NpgsqlConnection.ClearAllPools();
            Execute(Server!, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Keeps this PostgreSQL database as a template for others (<see cref="Create"/>) until the test process ends:
    /// closes this process's connections to it, which a clone must not find open.
    /// </summary>
    public string KeepAsTemplate()
    {
        var name = Name ?? throw new InvalidOperationException("The tests run on SQLite.");
        NpgsqlConnection.ClearAllPools();
        DropAtExit(name);
        return name;
    }

    private static string CreateTemplate()
    {
        var name = "template_" + Guid.NewGuid().ToString("N");
        Execute(Server!, $"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false }.ConnectionString;
        using (var db = new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(connectionString).Options))
        {
            db.Database.Migrate();
        }

        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, "hangfire");
        }

        DropAtExit(name);
        return name;
    }

    private static void DropAtExit(string name) =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Execute(Server!, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            }
            catch (NpgsqlException)
            {
                // The throwaway server may be gone already.
            }
        };

    private static void Execute(string server, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
