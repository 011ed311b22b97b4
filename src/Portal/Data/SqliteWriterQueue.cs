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
/// so the turns' total is what bounds every write of the process. The turn's transaction runs on the file's one kept
/// write connection (<see cref="SqliteWriter"/>, ADR 037), lent to the holder's context when it begins and taken back
/// when it ends (<see cref="PortalSqliteConnection"/>); the statements it runs there are prepared once
/// (<see cref="CommandInitialized"/>).
/// </summary>
public sealed class SqliteWriterQueue : IDbTransactionInterceptor, IDbCommandInterceptor, IDisposable
{
    public const string MeterName = "Cashout.Portal.Database";
    public const string WaitedInstrument = "cashout.sqlite.write_turn.waited";
    public const string HeldInstrument = "cashout.sqlite.write_turn.held";
    public const string BusyInstrument = "cashout.sqlite.write_turn.busy";
    public const string CommitsInstrument = "cashout.sqlite.shared_commits";

    private readonly string connectionString;
    private readonly int timeoutSeconds;
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>The kept write connection: opened at the first turn, used by the holder of the turn only.</summary>
    private SqliteWriter? writer;

    /// <summary>
    /// The contexts whose transaction has the turn, with when it began; a turn ends with the transaction
    /// (<see cref="QueuedTransaction"/>).
    /// </summary>
    private readonly ConcurrentDictionary<DbContext, long> holders = new();

    /// <summary>The contexts whose transaction runs within the kept connection's shared transaction and has not ended.</summary>
    private readonly ConcurrentDictionary<DbContext, bool> sharing = new();

    /// <summary>Writers waiting for the turn now: while there are some, a writer that commits leaves its changes to the shared commit.</summary>
    private int waiting;

    /// <summary>At most this many writers share one commit, so a long queue still commits every few milliseconds.</summary>
    private const int MostWritersPerCommit = 32;

    private readonly Histogram<double> waited;
    private readonly Histogram<double> held;

    /// <summary>The turns' held time added up: its rate (ms a second, over 1,000) is how busy the one writer is.</summary>
    private readonly Counter<double> busy;

    /// <summary>Commits of the shared transaction: below the turns' count when writers shared them.</summary>
    private readonly Counter<long> commits;

    public SqliteWriterQueue(string connectionString, int timeoutSeconds, IMeterFactory meters)
    {
        this.connectionString = connectionString;
        this.timeoutSeconds = timeoutSeconds;
        var meter = meters.Create(MeterName);
        waited = meter.CreateHistogram<double>(WaitedInstrument, "ms", "How long a write transaction waited for the SQLite file's one write turn");
        held = meter.CreateHistogram<double>(HeldInstrument, "ms", "How long a write transaction held the SQLite file's one write turn");
        busy = meter.CreateCounter<double>(BusyInstrument, "ms", "The SQLite file's write turn held, in total");
        commits = meter.CreateCounter<long>(CommitsInstrument, "{commit}", "Commits of the write transaction the queued writers share");
    }

    InterceptionResult<DbTransaction> IDbTransactionInterceptor.TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        TakeTurn(eventData.Context!);
        return Begin(eventData.Context!, connection, eventData.IsolationLevel);
    }

    async ValueTask<InterceptionResult<DbTransaction>> IDbTransactionInterceptor.TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken)
    {
        await TakeTurnAsync(eventData.Context!, cancellationToken);
        return Begin(eventData.Context!, connection, eventData.IsolationLevel);
    }

    /// <summary>
    /// A statement about to run on the kept write connection runs as that connection's prepared command for its SQL
    /// text, with the parameters EF Core bound; any other statement runs as EF Core made it.
    /// </summary>
    public DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        if (result.Connection is not { } connection || !TryLendCommand(connection, result.CommandText, out var lent))
        {
            return result;
        }

        lent.Transaction = result.Transaction;
        if (result.CommandTimeout != lent.CommandTimeout)
        {
            lent.CommandTimeout = result.CommandTimeout;
        }

        var parameters = result.Parameters.Cast<DbParameter>().ToArray();
        result.Parameters.Clear();
        foreach (var parameter in parameters)
        {
            lent.Parameters.Add(parameter);
        }

        result.Dispose();
        return lent;
    }

    /// <summary>
    /// A writer's commit within the shared transaction: its savepoint is released. If other writers wait for the turn
    /// (and the shared transaction is not full), the turn passes to the next and this commit returns when the shared
    /// one has committed; otherwise the shared transaction commits now. Either way it returns only once its changes are
    /// durable, and throws if they were not written.
    /// </summary>
    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (!sharing.TryRemove(eventData.Context!, out _))
        {
            return result;
        }

        KeepOrCommit(eventData.Context!)?.GetAwaiter().GetResult();
        return InterceptionResult.Suppress();
    }

    /// <inheritdoc cref="TransactionCommitting"/>
    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken)
    {
        if (!sharing.TryRemove(eventData.Context!, out _))
        {
            return result;
        }

        if (KeepOrCommit(eventData.Context!) is { } committed)
        {
            await committed;
        }

        return InterceptionResult.Suppress();
    }

    /// <summary>A writer's rollback within the shared transaction undoes its own changes only (to its savepoint).</summary>
    public InterceptionResult TransactionRollingBack(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (!sharing.TryRemove(eventData.Context!, out _))
        {
            return result;
        }

        writer!.Undo();
        return InterceptionResult.Suppress();
    }

    /// <inheritdoc cref="TransactionRollingBack"/>
    public ValueTask<InterceptionResult> TransactionRollingBackAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken) =>
        ValueTask.FromResult(((IDbTransactionInterceptor)this).TransactionRollingBack(transaction, eventData, result));

    /// <summary>Whether the context's transaction runs within the shared one (its EF Core transaction must not dispose it).</summary>
    internal bool IsSharing(DbContext context) => sharing.ContainsKey(context);

    /// <summary>A writer's transaction in the shared one ended without a commit or a rollback: its changes are undone.</summary>
    internal void Abandon(DbContext context)
    {
        if (sharing.TryRemove(context, out _))
        {
            writer!.Undo();
        }
    }

    /// <summary>
    /// The committing writer's changes stay in the shared transaction. If another writer waits, the turn passes on and
    /// the returned task ends with the shared commit; otherwise the shared transaction commits now and there is no task.
    /// </summary>
    private Task? KeepOrCommit(DbContext context)
    {
        var committed = writer!.Keep();
        if (PassesTurn())
        {
            End(context);
            return AwaitSharedCommit(committed);
        }

        CommitShared();
        return null;
    }

    /// <summary>Another writer waits and will continue the shared transaction (and commit it, or pass it on).</summary>
    private bool PassesTurn() => Volatile.Read(ref waiting) > 0 && writer!.KeptWriters < MostWritersPerCommit;

    /// <summary>
    /// Waits for the shared commit. Whoever ends the last turn commits it; should the writer the turn passed to give
    /// up waiting at that very moment, nobody holds the turn, and this writer takes it to commit.
    /// </summary>
    private async Task AwaitSharedCommit(Task committed)
    {
        while (await Task.WhenAny(committed, Task.Delay(StrandedAfter)) != committed)
        {
            if (turn.Wait(0))
            {
                try
                {
                    if (!committed.IsCompleted)
                    {
                        CommitSharedLeavingErrorsToItsWriters();
                    }
                }
                finally
                {
                    turn.Release();
                }
            }
        }

        await committed;
    }

    private static readonly TimeSpan StrandedAfter = TimeSpan.FromMilliseconds(100);

    private void StopWaiting() => Interlocked.Decrement(ref waiting);

    /// <summary>Writers waiting for the turn now (for tests).</summary>
    internal int Waiting => Volatile.Read(ref waiting);

    /// <summary>Commits the shared transaction, if one is open; by the holder of the turn.</summary>
    private void CommitShared()
    {
        if (writer is { HasShared: true } kept)
        {
            kept.CommitShared();
            commits.Add(1);
        }
    }

    /// <summary>
    /// Commits the shared transaction for writers that have left the turn: if it fails, each of them gets the error
    /// from its own commit, not the writer that happens to hold the turn now.
    /// </summary>
    private void CommitSharedLeavingErrorsToItsWriters()
    {
        try
        {
            CommitShared();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
        }
    }

    /// <summary>Waits for the turn unless the context has it already (it took it to be lent the writer).</summary>
    internal void TakeTurn(DbContext context)
    {
        if (!holders.ContainsKey(context))
        {
            var asked = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref waiting);
            bool had;
            try
            {
                had = turn.Wait(Timeout);
            }
            finally
            {
                StopWaiting();
            }

            if (!had)
            {
                throw Busy();
            }

            Had(context, asked);
        }
    }

    /// <inheritdoc cref="TakeTurn"/>
    internal async ValueTask TakeTurnAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (!holders.ContainsKey(context))
        {
            var asked = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref waiting);
            bool had;
            try
            {
                had = await turn.WaitAsync(Timeout, cancellationToken);
            }
            finally
            {
                StopWaiting();
            }

            if (!had)
            {
                throw Busy();
            }

            Had(context, asked);
        }
    }

    /// <summary>
    /// The kept write connection, for the context that has the turn: opened if there is none yet, or if the last turn
    /// left it in a state no turn should find it in.
    /// </summary>
    internal SqliteConnection LendWriter(DbContext context)
    {
        if (!holders.ContainsKey(context))
        {
            throw new InvalidOperationException("The write connection is lent to the context that has the turn only.");
        }

        writer ??= SqliteWriter.Open(connectionString);
        writer.WaitAtMost(SqliteBusyTimeout.CurrentLimitSeconds ?? timeoutSeconds);
        return writer.Connection;
    }

    /// <summary>The kept command for <paramref name="sql"/> when <paramref name="connection"/> is the kept write connection.</summary>
    internal bool TryLendCommand(DbConnection connection, string sql, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DbCommand? command)
    {
        command = null;
        return writer is { } kept && ReferenceEquals(connection, kept.Connection) && kept.TryLend(sql, out command);
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(SqliteBusyTimeout.CurrentLimitSeconds ?? timeoutSeconds);

    private void Had(DbContext context, long asked)
    {
        waited.Record(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
        holders[context] = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// With the turn had: on the kept connection, the writer joins the shared transaction (BEGIN IMMEDIATE if none is
    /// open); on a pooled connection, the shared transaction commits first (it holds SQLite's write lock), then BEGIN
    /// IMMEDIATE. If that fails (another process holds the lock past the timeout), the turn ends.
    /// </summary>
    private InterceptionResult<DbTransaction> Begin(DbContext context, DbConnection connection, IsolationLevel isolationLevel)
    {
        try
        {
            if (writer is { } kept && ReferenceEquals(connection, kept.Connection))
            {
                var shared = kept.Join(isolationLevel);
                sharing[context] = true;
                return InterceptionResult<DbTransaction>.SuppressWithResult(shared);
            }

            CommitSharedLeavingErrorsToItsWriters();
            return InterceptionResult<DbTransaction>.SuppressWithResult(((SqliteConnection)connection).BeginTransaction(isolationLevel));
        }
        catch
        {
            End(context);
            throw;
        }
    }

    /// <summary>
    /// The context's transaction has ended (committed, rolled back, failed or disposed) and its context has given the
    /// write connection back: the next writer's turn.
    /// </summary>
    internal void End(DbContext? context)
    {
        if (context is not null && holders.TryRemove(context, out var began))
        {
            var ms = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
            held.Record(ms);
            busy.Add(ms);
            if (Volatile.Read(ref waiting) == 0)
            {
                CommitSharedLeavingErrorsToItsWriters();
            }

            if (writer is { IsIdle: false })
            {
                writer.Dispose();
                writer = null;
            }

            turn.Release();
        }
    }

    public void Dispose()
    {
        writer?.Dispose();
        writer = null;
    }

    private static SqliteException Busy() =>
        new("database is locked: this process's other writers held it past the busy timeout", SQLitePCL.raw.SQLITE_BUSY);
}

/// <summary>
/// EF Core's transaction, ending the writer's turn when it commits, rolls back or is disposed: a transaction disposed
/// without a commit or a rollback (a use case that returns early, an exception) raises no interceptor event, and a
/// pooled context keeps its connection open, so nothing else would tell the queue. The turn ends after EF Core has let
/// go of the connection and the context has given the kept write connection back, so the next holder finds it free.
/// A commit that fails keeps the turn until the transaction is disposed (it rolls back there).
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
    /// <summary>
    /// Runs within the kept connection's shared transaction: disposing it must not dispose (roll back) the shared one,
    /// only undo its own part if it neither committed nor rolled back.
    /// </summary>
    private readonly bool sharing = queue?.IsSharing(connection.Context) == true;

    private bool disposed;

    public override void Commit()
    {
        base.Commit();
        EndTurn();
    }

    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await base.CommitAsync(cancellationToken);
        EndTurn();
    }

    public override void Rollback()
    {
        base.Rollback();
        EndTurn();
    }

    public override async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        await base.RollbackAsync(cancellationToken);
        EndTurn();
    }

    public override void Dispose()
    {
        if (sharing)
        {
            DisposeSharing();
            return;
        }

        base.Dispose();
        EndTurn();
    }

    public override async ValueTask DisposeAsync()
    {
        if (sharing)
        {
            DisposeSharing();
            return;
        }

        await base.DisposeAsync();
        EndTurn();
    }

    private void DisposeSharing()
    {
        if (!disposed)
        {
            disposed = true;
            queue!.Abandon(Connection.Context);
            ClearTransaction();
            EndTurn();
        }
    }

    private bool ended;

    /// <summary>Once per transaction: disposing it after its commit must not end a turn its context has taken since.</summary>
    private void EndTurn()
    {
        if (ended)
        {
            return;
        }

        ended = true;
        (Connection as PortalSqliteConnection)?.GiveWriterBack();
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
