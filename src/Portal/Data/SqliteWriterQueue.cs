using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cashout.Portal.Data;

/// <summary>
/// The write transactions of this process on the SQLite file wait their turn in a queue instead of in SQLite's busy
/// handler. SQLite has one write lock; a BEGIN IMMEDIATE that finds it taken sleeps and tries again (1, 2, 5 … 100 ms
/// apart), so under load the lock sat free while the next writer slept: the pipeline's workers spent most of their time
/// there (docs/performance.md). Here the next writer of this process starts the moment the last one commits or rolls
/// back (docs/decisions/033-sqlite-writer-queue.md). Another process on the same file (an operator's command, a second
/// test harness) still meets the busy handler, as before. The wait is bounded like SQLite's: the flow's limit
/// (<see cref="SqliteBusyTimeout.Limit"/>) or Database:BusyTimeoutSeconds, then SQLITE_BUSY, which callers already
/// answer as busy (503, a toast, a job's retry).
/// </summary>
public sealed class SqliteWriterQueue(int timeoutSeconds) : IDbTransactionInterceptor, IDbConnectionInterceptor
{
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>The contexts whose transaction has the turn; a turn ends with the transaction, or with the context's connection.</summary>
    private readonly ConcurrentDictionary<DbContext, byte> holders = new();

    public InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (!holders.ContainsKey(eventData.Context!) && !turn.Wait(Timeout))
        {
            throw Busy();
        }

        return Begin(eventData.Context!, connection, eventData.IsolationLevel);
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default)
    {
        if (!holders.ContainsKey(eventData.Context!) && !await turn.WaitAsync(Timeout, cancellationToken))
        {
            throw Busy();
        }

        return Begin(eventData.Context!, connection, eventData.IsolationLevel);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => End(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => End(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => End(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    // A transaction disposed without a commit or a rollback (an exception on the way) rolls back as its connection
    // is closed or given back to the pool: the turn ends there.
    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        End(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        End(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        End(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        End(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(SqliteBusyTimeout.CurrentLimitSeconds ?? timeoutSeconds);

    /// <summary>BEGIN IMMEDIATE with the turn had: if it fails (another process holds the lock past the timeout), the turn ends.</summary>
    private InterceptionResult<DbTransaction> Begin(DbContext context, DbConnection connection, IsolationLevel isolationLevel)
    {
        holders.TryAdd(context, 0);
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(((SqliteConnection)connection).BeginTransaction(isolationLevel));
        }
        catch
        {
            End(context);
            throw;
        }
    }

    private void End(DbContext? context)
    {
        if (context is not null && holders.TryRemove(context, out _))
        {
            turn.Release();
        }
    }

    private static SqliteException Busy() =>
        new("database is locked: this process's other writers held it past the busy timeout", SQLitePCL.raw.SQLITE_BUSY);
}
