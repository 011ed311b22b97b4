using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cashout.Portal.Data;

/// <summary>
/// Sets SQLite's own busy timeout on every opened connection. Without it, Microsoft.Data.Sqlite answers a locked
/// database by sleeping 150 ms between retries (dotnet/efcore#28135), so concurrent writers (webhooks, jobs, requests)
/// queue in 150 ms steps; SQLite's handler instead wakes within milliseconds of the lock being released.
/// Set through the C API (<c>sqlite3_busy_timeout</c>) rather than a PRAGMA statement: a connection is opened for
/// every query, and preparing the PRAGMA each time showed in the API's profile.
/// </summary>
public sealed class SqliteBusyTimeout(int timeoutSeconds) : DbConnectionInterceptor
{
    private static readonly AsyncLocal<int?> Shorter = new();

    /// <summary>
    /// Until disposed, connections opened by this flow (an API request, a page's write) wait at most
    /// <paramref name="seconds"/> for the write lock: SQLite's busy handler and Microsoft.Data.Sqlite's own retry loop
    /// (its command timeout, which also bounds BEGIN) alike. On PostgreSQL the merchant's lock waits as long
    /// (<see cref="WriterLocks"/>).
    /// </summary>
    public static IDisposable Limit(int seconds)
    {
        var outer = Shorter.Value;
        Shorter.Value = seconds;
        return new Restore(outer);
    }

    /// <summary>
    /// SQLITE_BUSY or SQLITE_LOCKED, however EF Core wrapped it: the write lock was not had in time. On PostgreSQL the
    /// same moment is lock_not_available (55P03), a lock wait past the connection's lock_timeout (Database:BusyTimeoutSeconds),
    /// too_many_connections (53300), a server with no connection left, or no connection from this node's pool in time:
    /// all pass, and a retry later succeeds.
    /// </summary>
    public static bool IsBusy(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED } => true,
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.LockNotAvailable or Npgsql.PostgresErrorCodes.TooManyConnections } => true,
        Npgsql.NpgsqlException { InnerException: TimeoutException } => true, // no connection from the pool (or the server) in time
        { InnerException: { } inner } => IsBusy(inner),
        _ => false,
    };

    /// <summary>The limit this flow set with <see cref="Limit"/>, if any.</summary>
    public static int? CurrentLimitSeconds => Shorter.Value;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        var seconds = Shorter.Value ?? timeoutSeconds;
        sqlite.DefaultTimeout = seconds;
        var result = SQLitePCL.raw.sqlite3_busy_timeout(sqlite.Handle, seconds * 1000);
        SqliteException.ThrowExceptionForRC(result, sqlite.Handle);
    }

    private sealed class Restore(int? outer) : IDisposable
    {
        public void Dispose() => Shorter.Value = outer;
    }
}
