using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.Data;

/// <summary>
/// Open read-only SQLite connections that keep their statements prepared, for the machine APIs' hottest reads (the
/// status calls, ADR 035). Microsoft.Data.Sqlite prepares a new command's SQL when it first runs and finalises it when
/// its connection goes back to the pool, so a read through the context's pooled connection prepared its statement on
/// every call: half of the statement's time under load (docs/performance.md). A connection here stays open and keeps
/// one command per SQL text, which SQLite only resets and binds again. WAL lets these read while a writer writes, and
/// each read sees every commit made before it started. Registered on SQLite only: on PostgreSQL the reads use the
/// context's connection.
/// </summary>
public sealed class SqliteReaders(string connectionString, int busyTimeoutSeconds) : IDisposable
{
    // Enough for every thread of the pool to read at once; a connection beyond them is closed when its read ends.
    private readonly int keep = Environment.ProcessorCount * 4;
    private readonly ConcurrentBag<Reader> idle = [];
    private int idleCount;
    private bool disposed;

    /// <summary>
    /// Runs <paramref name="sql"/> with <paramref name="parameters"/> (always the same names, in the same order, for one
    /// SQL text) and maps its first row, or returns null when there is none.
    /// </summary>
    public async Task<T?> ReadOneAsync<T>(string sql, (string Name, object Value)[] parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        var reader = Rent();
        try
        {
            T? result;
            // The rows are closed before the connection is lent again: another read resets the same statement.
            await using (var rows = await reader.CommandFor(sql, parameters).ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken))
            {
                result = await rows.ReadAsync(cancellationToken) ? map(rows) : null;
            }

            Return(reader);
            return result;
        }
        catch
        {
            // Whatever failed (a cancelled read, a locked file), the connection is not lent again in an unknown state.
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The connections open and idle now (for tests).</summary>
    internal int IdleCount => Volatile.Read(ref idleCount);

    private Reader Rent()
    {
        if (idle.TryTake(out var reader))
        {
            Interlocked.Decrement(ref idleCount);
            return reader;
        }

        ObjectDisposedException.ThrowIf(disposed, this);
        return Reader.Open(connectionString, busyTimeoutSeconds);
    }

    private void Return(Reader reader)
    {
        if (disposed || Interlocked.Increment(ref idleCount) > keep)
        {
            Interlocked.Decrement(ref idleCount);
            reader.Dispose();
            return;
        }

        idle.Add(reader);
    }

    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var reader))
        {
            Interlocked.Decrement(ref idleCount);
            reader.Dispose();
        }
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

        private Reader(SqliteConnection connection) => this.connection = connection;

        public static Reader Open(string connectionString, int busyTimeoutSeconds)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString)
            {
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false, // it stays open; a pooled one would only be kept twice
            }.ToString());
            connection.Open();
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, busyTimeoutSeconds * 1000);
            return new Reader(connection);
        }

        public SqliteCommand CommandFor(string sql, (string Name, object Value)[] parameters)
        {
            if (!commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, _) in parameters)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = name });
                }

                command.Prepare();
                commands.Add(sql, command);
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value;
            }

            return command;
        }

        public void Dispose()
        {
            foreach (var command in commands.Values)
            {
                command.Dispose();
            }

            connection.Dispose();
        }
    }
}
