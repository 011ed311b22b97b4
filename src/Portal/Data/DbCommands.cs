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
    public static DbCommand CreateCommand(this DbContext db, string sql)
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
    /// A write outside any transaction (a claim, an <c>ExecuteUpdate</c>, an <c>ExecuteDelete</c>), run in a write
    /// transaction of its own: on SQLite it then waits for the write turn with the process's other writers and may share
    /// their commit (ADR 034, ADR 040), where on its own it would meet their open shared transaction in SQLite's sleeping
    /// busy handler. In the caller's transaction if it has one; on PostgreSQL, the same as the statement alone.
    /// </summary>
    public static async Task<T> WriteAsync<T>(this PortalDbContext db, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await write();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await write();
        await transaction.CommitAsync(cancellationToken);
        return result;
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
