using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cashout.Portal.Data;

/// <summary>
/// Plain commands on a context's connection, for the few hot statements that skip EF Core's query and update pipelines
/// (docs/performance.md). The SQL must be the same on SQLite and PostgreSQL: both migration sets keep the model's table
/// and column names, quoted.
/// </summary>
public static class DbCommands
{
    /// <summary>
    /// A command on the context's open connection, in its current transaction if there is one; in a write transaction
    /// on SQLite, the kept write connection's command for this text, prepared once (<see cref="SqliteWriter"/>).
    /// </summary>
    public static DbCommand CreateCommand(this PortalDbContext db, string sql)
    {
        if (db.GetService<IRelationalConnection>() is not PortalSqliteConnection sqlite || !sqlite.TryLendCommand(sql, out var command))
        {
            command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
        }

        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>
    /// The context's connection open for plain commands: a transaction keeps it open already; otherwise it is opened
    /// here through EF Core (so its connection interceptors apply) and closed again when the result is disposed.
    /// </summary>
    public static async Task<IAsyncDisposable> OpenConnectionAsync(this PortalDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
        {
            return NothingToClose.Instance;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        return new ClosesConnection(db);
    }

    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private sealed class NothingToClose : IAsyncDisposable
    {
        public static readonly NothingToClose Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class ClosesConnection(PortalDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await db.Database.CloseConnectionAsync();
    }
}
