using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// The ceiling for every write figure: the database's raw commit rate on the same disk, in the same run. One
/// connection, WAL, synchronous=FULL (the portal's settings), a one-row INSERT per transaction, no EF Core. A
/// cashout request is judged by its ratio to this (DESIGN.md section 7: at least a quarter).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkJobs.Short))]
public class RawSqliteCommitBenchmarks
{
    private string directory = "";
    private SqliteConnection connection = null!;
    private SqliteCommand insert = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Beside the portal benchmarks' files (the temp folder), so both pay for the same fsync.
        directory = Path.Combine(Path.GetTempPath(), "cashout-bench-raw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "raw.db") }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE rows (id INTEGER PRIMARY KEY, value INTEGER NOT NULL);";
            pragma.ExecuteNonQuery();
        }

        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO rows (value) VALUES (1);";
    }

    [Benchmark(Description = "Raw SQLite one-row commit (WAL, FULL)")]
    public void Commit()
    {
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        insert.ExecuteNonQuery();
        transaction.Commit();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        insert.Dispose();
        connection.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
