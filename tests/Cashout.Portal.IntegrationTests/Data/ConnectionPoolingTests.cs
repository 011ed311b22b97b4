using System.Collections.Concurrent;
using Cashout.Portal.Data;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// The portal pools its SQLite connections (docs/decisions/014-sqlite-pooling.md). Microsoft.Data.Sqlite 9 could lend
/// one pooled connection to two open SqliteConnections when they opened together while the pool grew
/// (dotnet/efcore#39008), so the second one's BEGIN failed with "cannot start a transaction within a transaction";
/// 10.0.15 has the fix. This fails within a few hundred waves on a package without it.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class ConnectionPoolingTests : IDisposable
{
    private const int Waves = 1500;
    private const int ConnectionsPerWave = 32;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "cashout-pool", Guid.NewGuid().ToString("N"));

    private readonly string connectionString;

    public ConnectionPoolingTests() =>
        connectionString = DataExtensions.ConnectionStringFor(new DatabaseOptions { Path = Path.Combine(folder, "pool.db") }, folder);

    [Fact]
    public void Connections_opened_together_each_get_a_sqlite_connection_of_their_own_when_the_pool_grows()
    {
        Assert.True(new SqliteConnectionStringBuilder(connectionString).Pooling, "The portal's connections are pooled.");

        var problems = OpenInWaves(connectionString);

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
    }

    /// <summary>
    /// Dedicated threads, more than the machine has cores, open a connection each at the same moment; once all are
    /// open, each must hold its own SQLite connection and begin a transaction of its own. Then all close and the pool
    /// is emptied, so the next wave grows it again: only a growing pool looks for leaked connections.
    /// </summary>
    private static List<string> OpenInWaves(string connectionString)
    {
        var problems = new ConcurrentQueue<string>();
        var connections = new SqliteConnection?[ConnectionsPerWave];
        var wave = 0;
        using var allOpen = new Barrier(ConnectionsPerWave, _ => CheckAndClose(connections, wave++, problems, connectionString));
        var workers = Enumerable.Range(0, ConnectionsPerWave).Select(i => new Thread(() =>
        {
            for (var n = 0; n < Waves; n++)
            {
                var connection = new SqliteConnection(connectionString);
                try
                {
                    connection.Open();
                    connections[i] = connection;
                }
                catch (SqliteException e)
                {
                    problems.Enqueue($"Wave {n}: {e.Message}");
                }

                try
                {
                    if (!allOpen.SignalAndWait(TimeSpan.FromMinutes(1)))
                    {
                        problems.Enqueue($"Wave {n}: a connection did not open within a minute.");
                        return;
                    }
                }
                catch (BarrierPostPhaseException e)
                {
                    problems.Enqueue($"Wave {n}: {e.InnerException?.Message}");
                    return;
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return [.. problems];
    }

    /// <summary>Runs between waves, on one thread while the others wait: all connections of the wave are open.</summary>
    private static void CheckAndClose(SqliteConnection?[] connections, int wave, ConcurrentQueue<string> problems, string connectionString)
    {
        var open = connections.OfType<SqliteConnection>().ToList();
        try
        {
            var shared = open.Count - open.Select(c => c.Handle).Distinct(ReferenceEqualityComparer.Instance).Count();
            if (shared > 0)
            {
                problems.Enqueue($"Wave {wave}: {shared} of {open.Count} open connections were lent a SQLite connection another one holds.");
            }

            var transactions = new List<SqliteTransaction>();
            foreach (var connection in open)
            {
                try
                {
                    transactions.Add(connection.BeginTransaction(deferred: true));
                }
                catch (SqliteException e)
                {
                    problems.Enqueue($"Wave {wave}: {e.Message}");
                }
            }

            transactions.ForEach(t => t.Dispose());
        }
        finally
        {
            open.ForEach(c => c.Dispose());
            Array.Clear(connections);
            ClearPool(connectionString);
        }
    }

    private static void ClearPool(string connectionString)
    {
        using var any = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(any);
    }

    public void Dispose()
    {
        ClearPool(connectionString);
        Directory.Delete(folder, recursive: true);
    }
}
