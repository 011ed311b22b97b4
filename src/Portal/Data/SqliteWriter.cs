using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.Data;

/// <summary>
/// The SQLite file's one write connection, kept open for the life of the process, on which every queued write
/// transaction runs in its turn (<see cref="SqliteWriterQueue"/>, docs/decisions/037-sqlite-writes-on-a-kept-connection.md).
/// Kept open, it keeps its page cache from one write to the next (connections taking turns each read the B-tree pages
/// again: SQLite drops a connection's cache when another one has changed the file), and it keeps its statements
/// prepared: Microsoft.Data.Sqlite prepares a command's SQL again for every new command, and EF Core makes one for every
/// statement. Here a command per SQL text is prepared once and lent for each statement with that text; the lender
/// binds the statement's parameters and gives it back when the command is disposed. Used by one turn at a time, so
/// nothing here is locked.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    /// <summary>
    /// Enough for every statement the portal writes with (a few dozen texts); past it the kept ones are finalised and
    /// kept again as they come, so statements built from varying lists do not grow the cache without bound.
    /// </summary>
    private const int MostStatements = 256;

    /// <summary>Each writer's own part of the shared transaction; one at a time, so one name.</summary>
    private const string Savepoint = "cashout_writer";

    private readonly SqliteConnection connection;
    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);
    private readonly HashSet<SqliteCommand> lent = [];
    private int waitSeconds = -1;

    /// <summary>The transaction the queued writers share until it commits (<see cref="Join"/>), and its outcome.</summary>
    private SqliteTransaction? shared;
    private TaskCompletionSource? sharedCommitted;

    /// <summary>Whether the writer in the shared transaction now has its own savepoint (it is not the first).</summary>
    private bool inSavepoint;

    private SqliteWriter(SqliteConnection connection) => this.connection = connection;

    public SqliteConnection Connection => connection;

    /// <summary>
    /// Nothing left behind by the last turn: open, no command still lent, and a transaction open exactly when a shared
    /// one is (not one left by a failed rollback, nor a shared one SQLite rolled back itself). A writer that is not is
    /// disposed and another opened, so one broken turn cannot break the next.
    /// </summary>
    public bool IsIdle => connection.State == ConnectionState.Open && lent.Count == 0 && InTransaction == shared is not null;

    /// <summary>Writers whose changes wait in the shared transaction for its commit.</summary>
    public int KeptWriters { get; private set; }

    /// <summary>Whether a shared transaction is open (writers have changed or may change rows in it).</summary>
    public bool HasShared => shared is not null;

    private bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0;

    /// <summary>
    /// A writer's transaction within the shared one: BEGIN IMMEDIATE if none is open, then a savepoint of its own, so
    /// it can roll back alone. Its statements run in the shared transaction (the one this returns).
    /// </summary>
    public SqliteTransaction Join(IsolationLevel isolationLevel)
    {
        if (shared is null)
        {
            // The first writer needs no savepoint: alone in the transaction, it rolls back the whole of it.
            shared = connection.BeginTransaction(isolationLevel);
            sharedCommitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            KeptWriters = 0;
            inSavepoint = false;
            return shared;
        }

        shared.Save(Savepoint);
        inSavepoint = true;
        return shared;
    }

    /// <summary>
    /// The writer's changes stay in the shared transaction; the returned task ends when it commits (or fails with the
    /// commit's error: then none of them was written).
    /// </summary>
    public Task Keep()
    {
        EnsureSharedIsOpen();
        if (inSavepoint)
        {
            shared!.Release(Savepoint);
        }

        KeptWriters++;
        return sharedCommitted!.Task;
    }

    /// <summary>The writer's changes are undone; the other writers' in the shared transaction stay.</summary>
    public void Undo()
    {
        if (shared is null || !InTransaction)
        {
            return; // nothing of it is left (SQLite rolled the shared transaction back: its waiters learn at the commit)
        }

        if (!inSavepoint)
        {
            // the first writer, alone in it: the shared transaction ends with it
            var transaction = shared;
            shared = null;
            sharedCommitted = null;
            transaction.Dispose();
            return;
        }

        shared.Rollback(Savepoint);
        shared.Release(Savepoint);
    }

    /// <summary>
    /// Commits the shared transaction: every writer that kept its changes in it learns the outcome together. On
    /// failure nothing of theirs was written, and each of them gets the error.
    /// </summary>
    public void CommitShared()
    {
        if (shared is not { } transaction)
        {
            return;
        }

        var committed = sharedCommitted!;
        shared = null;
        sharedCommitted = null;
        try
        {
            transaction.Commit();
            committed.TrySetResult();
        }
        catch (Exception ex)
        {
            committed.TrySetException(ex);
            throw;
        }
        finally
        {
            transaction.Dispose();
        }
    }

    private void EnsureSharedIsOpen()
    {
        if (shared is null || !InTransaction)
        {
            throw new SqliteException("The shared write transaction was rolled back by SQLite (an interrupted or failed statement); nothing of it was written.", SQLitePCL.raw.SQLITE_ABORT);
        }
    }

    public static SqliteWriter Open(string connectionString)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = false, // it stays open; given back to a pool it would lose its statements
        }.ToString());
        connection.Open();
        // A writer's savepoint journals the pages it changes; kept in memory rather than spilled to a temporary file.
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA temp_store = MEMORY";
            command.ExecuteNonQuery();
        }

        return new SqliteWriter(connection);
    }

    /// <summary>
    /// How long this turn's statements wait for SQLite's write lock held by another process (the flow's limit, as on a
    /// pooled connection's open: <see cref="SqliteBusyTimeout"/>).
    /// </summary>
    public void WaitAtMost(int seconds)
    {
        if (seconds != waitSeconds)
        {
            connection.DefaultTimeout = seconds;
            SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, seconds * 1000), connection.Handle);
            waitSeconds = seconds;
        }
    }

    /// <summary>
    /// A command for <paramref name="sql"/>, prepared once and kept, lent until disposed; false when the text is not
    /// kept (not a query or a row change, such as a migration's DDL) or its command is lent already (a reader of the
    /// same text still open), and the caller uses a command of its own.
    /// </summary>
    public bool TryLend(string sql, [NotNullWhen(true)] out DbCommand? command)
    {
        command = null;
        if (!IsRowStatement(sql))
        {
            return false;
        }

        if (!statements.TryGetValue(sql, out var kept))
        {
            if (statements.Count >= MostStatements)
            {
                FinaliseIdleStatements();
            }

            kept = connection.CreateCommand();
            kept.CommandText = sql;
            kept.Prepare();
            statements.Add(sql, kept);
        }
        else if (lent.Contains(kept))
        {
            return false;
        }

        lent.Add(kept);
        command = new LentCommand(kept, this);
        return true;
    }

    private void GiveBack(SqliteCommand kept)
    {
        kept.Parameters.Clear();
        kept.Transaction = null;
        lent.Remove(kept);
    }

    private void FinaliseIdleStatements()
    {
        foreach (var (sql, kept) in statements.Where(s => !lent.Contains(s.Value)).ToList())
        {
            statements.Remove(sql);
            kept.Dispose();
        }
    }

    private static bool IsRowStatement(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("WITH", StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        if (shared is not null)
        {
            sharedCommitted!.TrySetException(new SqliteException("The write connection closed before its shared transaction committed; nothing of it was written.", SQLitePCL.raw.SQLITE_ABORT));
            shared.Dispose();
            shared = null;
        }

        foreach (var kept in statements.Values)
        {
            kept.Dispose();
        }

        statements.Clear();
        lent.Clear();
        connection.Dispose();
    }

    /// <summary>
    /// A kept command as its borrower sees it: parameters, transaction and execution go to the kept command; disposing
    /// gives it back, prepared, instead of finalising its statements. Its SQL text is fixed.
    /// </summary>
    private sealed class LentCommand(SqliteCommand kept, SqliteWriter writer) : DbCommand
    {
        private bool givenBack;

        [AllowNull]
        public override string CommandText
        {
            get => kept.CommandText;
            set
            {
                if (!string.Equals(value, kept.CommandText, StringComparison.Ordinal))
                {
                    throw new NotSupportedException("A kept statement's SQL text does not change.");
                }
            }
        }

        public override int CommandTimeout { get => kept.CommandTimeout; set => kept.CommandTimeout = value; }

        public override CommandType CommandType { get => kept.CommandType; set => kept.CommandType = value; }

        public override bool DesignTimeVisible { get => kept.DesignTimeVisible; set => kept.DesignTimeVisible = value; }

        public override UpdateRowSource UpdatedRowSource { get => kept.UpdatedRowSource; set => kept.UpdatedRowSource = value; }

        protected override DbConnection? DbConnection
        {
            get => kept.Connection;
            set
            {
                if (!ReferenceEquals(value, kept.Connection))
                {
                    throw new NotSupportedException("A kept statement stays on the writer's connection.");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => kept.Parameters;

        protected override DbTransaction? DbTransaction { get => kept.Transaction; set => kept.Transaction = (SqliteTransaction?)value; }

        public override void Cancel() => kept.Cancel();

        public override int ExecuteNonQuery() => kept.ExecuteNonQuery();

        public override object? ExecuteScalar() => kept.ExecuteScalar();

        public override void Prepare()
        {
            // prepared when it was first kept
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => kept.ExecuteNonQueryAsync(cancellationToken);

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => kept.ExecuteScalarAsync(cancellationToken);

        protected override DbParameter CreateDbParameter() => kept.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => kept.ExecuteReader(behavior);

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            await kept.ExecuteReaderAsync(behavior, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !givenBack)
            {
                givenBack = true;
                writer.GiveBack(kept);
            }

            base.Dispose(disposing);
        }
    }
}
