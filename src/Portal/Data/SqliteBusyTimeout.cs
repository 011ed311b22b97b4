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
    private readonly int milliseconds = timeoutSeconds * 1000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        var result = SQLitePCL.raw.sqlite3_busy_timeout(((SqliteConnection)connection).Handle, milliseconds);
        SqliteException.ThrowExceptionForRC(result, ((SqliteConnection)connection).Handle);
    }
}
