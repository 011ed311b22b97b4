using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cashout.Portal.Data;

/// <summary>
/// The write transactions of this process on the SQLite file wait their turn in a queue instead of in SQLite's busy
/// handler. SQLite has one write lock; a BEGIN IMMEDIATE that finds it taken sleeps and tries again (1, 2, 5 … 100 ms
/// apart), so under load the lock sat free while the next writer slept: the pipeline's workers spent most of their time
/// there (docs/performance.md). Here the next writer of this process starts the moment the last one commits or rolls
/// back (docs/decisions/034-sqlite-writer-queue.md). Another process on the same file (an operator's command, a second
/// test harness) still meets the busy handler, as before. The wait is bounded like SQLite's: the flow's limit
/// (<see cref="SqliteBusyTimeout.Limit"/>) or Database:BusyTimeoutSeconds, then SQLITE_BUSY, which callers already
/// answer as busy (503, a toast, a job's retry). How long writers waited for their turn and held it is measured
/// (<see cref="MeterName"/>; dotnet-counters shows it, the benchmarks report it): the file has one writer at a time,
/// so the turns' total is what bounds every write of the process.
/// </summary>
public sealed class SqliteWriterQueue : IDbTransactionInterceptor
{
    public const string MeterName = "Cashout.Portal.Database";
    public const string WaitedInstrument = "cashout.sqlite.write_turn.waited";
    public const string HeldInstrument = "cashout.sqlite.write_turn.held";
    public const string BusyInstrument = "cashout.sqlite.write_turn.busy";

    private readonly int timeoutSeconds;
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>
    /// The contexts whose transaction has the turn, with when it began; a turn ends with the transaction
    /// (<see cref="QueuedTransaction"/>).
    /// </summary>
    private readonly ConcurrentDictionary<DbContext, long> holders = new();

    private readonly Histogram<double> waited;
    private readonly Histogram<double> held;

    /// <summary>The turns' held time added up: its rate (ms a second, over 1,000) is how busy the one writer is.</summary>
    private readonly Counter<double> busy;

    public SqliteWriterQueue(int timeoutSeconds, IMeterFactory meters)
    {
        this.timeoutSeconds = timeoutSeconds;
        var meter = meters.Create(MeterName);
        waited = meter.CreateHistogram<double>(WaitedInstrument, "ms", "How long a write transaction waited for the SQLite file's one write turn");
        held = meter.CreateHistogram<double>(HeldInstrument, "ms", "How long a write transaction held the SQLite file's one write turn");
        busy = meter.CreateCounter<double>(BusyInstrument, "ms", "The SQLite file's write turn held, in total");
    }

    InterceptionResult<DbTransaction> IDbTransactionInterceptor.TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (!holders.ContainsKey(eventData.Context!))
        {
            var asked = Stopwatch.GetTimestamp();
            if (!turn.Wait(Timeout))
            {
                throw Busy();
            }

            waited.Record(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
        }

        return Begin(eventData.Context!, connection, eventData.IsolationLevel);
    }

    async ValueTask<InterceptionResult<DbTransaction>> IDbTransactionInterceptor.TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken)
    {
        if (!holders.ContainsKey(eventData.Context!))
        {
            var asked = Stopwatch.GetTimestamp();
            if (!await turn.WaitAsync(Timeout, cancellationToken))
            {
                throw Busy();
            }

            waited.Record(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
        }

        return Begin(eventData.Context!, connection, eventData.IsolationLevel);
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => End(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => End(eventData.Context);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => End(eventData.Context);

    Task IDbTransactionInterceptor.TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(SqliteBusyTimeout.CurrentLimitSeconds ?? timeoutSeconds);

    /// <summary>BEGIN IMMEDIATE with the turn had: if it fails (another process holds the lock past the timeout), the turn ends.</summary>
    private InterceptionResult<DbTransaction> Begin(DbContext context, DbConnection connection, IsolationLevel isolationLevel)
    {
        holders.TryAdd(context, Stopwatch.GetTimestamp());
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

    /// <summary>The context's transaction has ended (committed, rolled back, failed or disposed): the next writer's turn.</summary>
    internal void End(DbContext? context)
    {
        if (context is not null && holders.TryRemove(context, out var began))
        {
            var ms = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
            held.Record(ms);
            busy.Add(ms);
            turn.Release();
        }
    }

    private static SqliteException Busy() =>
        new("database is locked: this process's other writers held it past the busy timeout", SQLitePCL.raw.SQLITE_BUSY);
}

/// <summary>
/// EF Core's transaction, ending the writer's turn when disposed: a transaction disposed without a commit or a rollback
/// (a use case that returns early, an exception) raises no interceptor event, and a pooled context keeps its
/// connection open, so nothing else would tell the queue.
/// </summary>
public sealed class QueuedTransaction(
    IRelationalConnection connection,
    DbTransaction transaction,
    Guid transactionId,
    IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger,
    bool transactionOwned,
    ISqlGenerationHelper sqlGenerationHelper,
    SqliteWriterQueue? queue)
    : RelationalTransaction(connection, transaction, transactionId, logger, transactionOwned, sqlGenerationHelper)
{
    public override void Dispose()
    {
        base.Dispose();
        queue?.End(Connection.Context);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        queue?.End(Connection.Context);
    }
}

/// <summary>Makes <see cref="QueuedTransaction"/>s for the contexts the <see cref="SqliteWriterQueue"/> intercepts.</summary>
public sealed class QueuedTransactionFactory(RelationalTransactionFactoryDependencies dependencies)
    : RelationalTransactionFactory(dependencies)
{
    public override RelationalTransaction Create(
        IRelationalConnection connection,
        DbTransaction transaction,
        Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger,
        bool transactionOwned)
    {
        var queue = connection.Context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<SqliteWriterQueue>().SingleOrDefault();
        return new QueuedTransaction(connection, transaction, transactionId, logger, transactionOwned, Dependencies.SqlGenerationHelper, queue);
    }
}
