using Cashout.Portal.Data;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// The status reads' kept connections (<see cref="SqliteReaders"/>): a read sees every commit made before it, even
/// through a statement prepared long before; connections are lent again rather than opened per read; they never write.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SqliteReadersTests : IDisposable
{
    private const string ReadSql = "SELECT name FROM items WHERE id = @id";

    private readonly string directory = Directory.CreateTempSubdirectory("cashout-readers-").FullName;
    private readonly string connectionString;
    private readonly SqliteReaders readers;

    public SqliteReadersTests()
    {
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "portal.db"), Pooling = false }.ToString();
        Execute("PRAGMA journal_mode = WAL; CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO items VALUES (1, 'first');");
        readers = new SqliteReaders(connectionString, busyTimeoutSeconds: 5);
    }

    public void Dispose()
    {
        readers.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Reads_what_another_connection_committed_just_before_through_the_statement_it_keeps()
    {
        Assert.Equal("first", await ReadAsync(1));

        Execute("UPDATE items SET name = 'second' WHERE id = 1");
        Assert.Equal("second", await ReadAsync(1));

        // A write transaction still open elsewhere is not seen, and does not block the read (WAL).
        await using var writer = Open();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var update = writer.CreateCommand())
        {
            update.CommandText = "UPDATE items SET name = 'uncommitted' WHERE id = 1";
            await update.ExecuteNonQueryAsync();
        }

        Assert.Equal("second", await ReadAsync(1));
        await transaction.CommitAsync();
        Assert.Equal("uncommitted", await ReadAsync(1));
        Assert.Null(await ReadAsync(2));
    }

    [Fact]
    public async Task Lends_one_connection_again_to_reads_one_after_another()
    {
        for (var read = 0; read < 50; read++)
        {
            Assert.Equal("first", await ReadAsync(1));
        }

        Assert.Equal(1, readers.IdleCount);
    }

    [Fact]
    public async Task Answers_every_one_of_many_reads_at_once_and_keeps_a_bounded_number_of_connections()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => ReadAsync(1))));

        Assert.All(answers, answer => Assert.Equal("first", answer));
        Assert.InRange(readers.IdleCount, 1, Environment.ProcessorCount * 4);
    }

    [Fact]
    public async Task Refuses_to_write_and_lends_no_connection_that_failed()
    {
        var failure = await Assert.ThrowsAsync<SqliteException>(() =>
            readers.ReadOneAsync("UPDATE items SET name = 'written' WHERE id = @id RETURNING name", [("id", 1L)], row => row.GetString(0), CancellationToken.None));

        Assert.Equal(SQLitePCL.raw.SQLITE_READONLY, failure.SqliteErrorCode);
        Assert.Equal(0, readers.IdleCount);
        Assert.Equal("first", await ReadAsync(1));
    }

    private Task<string?> ReadAsync(long id) =>
        readers.ReadOneAsync(ReadSql, [("id", id)], row => row.GetString(0), CancellationToken.None);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
