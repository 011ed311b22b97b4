using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cashout.Portal.Data;

#pragma warning disable EF1001 // EF Core's SQLite connection, internal: pinned by SqliteConnectionTests.

/// <summary>
/// EF Core's SQLite connection, as the portal uses it:
/// <list type="bullet">
/// <item>without the functions EF Core registers for decimal arithmetic (ef_add, ef_compare …): Microsoft.Data.Sqlite
/// registers them again on every open, and opening the pooled connection was about a third of an API status call when
/// profiled (docs/performance.md). The portal keeps money in whole minor units (long), so no query uses them; a test
/// fails if the model ever maps a decimal. The busy timeout EF Core would set here is set by
/// <see cref="SqliteBusyTimeout"/> on every open;</item>
/// <item>a write transaction runs on the file's one kept write connection: beginning one takes the write turn
/// (<see cref="SqliteWriterQueue"/>) and the kept connection in place of the pooled one; when the transaction ends the
/// pooled one comes back, so reads outside transactions stay on the pool (ADR 037). A context whose connection its
/// caller opened before beginning keeps that connection, and its transaction queues for the turn as before.</item>
/// </list>
/// </summary>
public sealed class PortalSqliteConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    private readonly SqliteWriterQueue? queue = dependencies.ContextOptions.FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<SqliteWriterQueue>().SingleOrDefault();

    /// <summary>The pooled connection's string while the kept write connection is lent; null when it is not.</summary>
    private string? pooled;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(GetValidatedConnectionString());

    public override IDbContextTransaction BeginTransaction(IsolationLevel isolationLevel)
    {
        if (!TakesWriter())
        {
            return base.BeginTransaction(isolationLevel);
        }

        queue!.TakeTurn(Context);
        try
        {
            BorrowWriter();
            return base.BeginTransaction(isolationLevel);
        }
        catch
        {
            GiveWriterBackAfterFailedBegin();
            throw;
        }
    }

    public override async Task<IDbContextTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default)
    {
        if (!TakesWriter())
        {
            return await base.BeginTransactionAsync(isolationLevel, cancellationToken);
        }

        await queue!.TakeTurnAsync(Context, cancellationToken);
        try
        {
            BorrowWriter();
            return await base.BeginTransactionAsync(isolationLevel, cancellationToken);
        }
        catch
        {
            GiveWriterBackAfterFailedBegin();
            throw;
        }
    }

    /// <summary>The kept write connection goes back to the queue and the pooled connection comes back; once the transaction has let go of it.</summary>
    internal void GiveWriterBack()
    {
        if (pooled is { } connectionString)
        {
            pooled = null;
            SetDbConnection(null, contextOwnsConnection: true);
            ConnectionString = connectionString;
        }
    }

    /// <summary>A command on the kept write connection prepared once, if this context holds it and keeps the text.</summary>
    internal bool TryLendCommand(string sql, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DbCommand? command)
    {
        command = null;
        return pooled is not null && queue!.TryLendCommand(DbConnection, sql, out command);
    }

    /// <summary>Only a transaction on a connection nobody holds open moves to the kept one (and only with a queue: SQLite files the portal writes).</summary>
    private bool TakesWriter() => queue is not null && CurrentTransaction is null && pooled is null && DbConnection.State == ConnectionState.Closed;

    /// <summary>
    /// The kept write connection in place of the pooled one. EF Core refuses the swap when the context still counts
    /// its connection open (its caller opened it and did not close it); the transaction then runs on the pooled
    /// connection, in its turn all the same.
    /// </summary>
    private void BorrowWriter()
    {
        var connectionString = ConnectionString!;
        var writer = queue!.LendWriter(Context);
        try
        {
            SetDbConnection(writer, contextOwnsConnection: false);
        }
        catch (InvalidOperationException)
        {
            return;
        }

        pooled = connectionString;
    }

    /// <summary>BEGIN failed after the writer was lent (busy beyond the limit, cancelled): EF Core counted an open of it.</summary>
    private void GiveWriterBackAfterFailedBegin()
    {
        if (pooled is not null)
        {
            Close();
            GiveWriterBack();
        }

        queue!.End(Context);
    }
}
