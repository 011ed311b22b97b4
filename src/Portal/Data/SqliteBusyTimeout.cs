using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cashout.Portal.Data;

/// <summary>
/// Sets SQLite's own busy timeout on every opened connection. Without it, Microsoft.Data.Sqlite answers a locked
/// database by sleeping 150 ms between retries (dotnet/efcore#28135), so concurrent writers (webhooks, jobs, requests)
/// queue in 150 ms steps; SQLite's handler instead wakes within milliseconds of the lock being released.
/// </summary>
public sealed class SqliteBusyTimeout(int timeoutSeconds) : DbConnectionInterceptor
{
    private readonly string pragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {timeoutSeconds * 1000};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }
}
