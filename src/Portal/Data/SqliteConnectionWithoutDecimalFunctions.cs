using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cashout.Portal.Data;

#pragma warning disable EF1001 // EF Core's SQLite connection, internal: pinned by SqliteConnectionTests.

/// <summary>
/// EF Core's SQLite connection without the functions EF Core registers for decimal arithmetic (ef_add, ef_compare …):
/// Microsoft.Data.Sqlite registers them again on every open, and opening the pooled connection was about a third of
/// an API status call when profiled (docs/performance.md). The portal keeps money in whole minor units (long), so
/// no query uses them; a test fails if the model ever maps a decimal. The busy timeout EF Core would set here is set by
/// <see cref="SqliteBusyTimeout"/> on every open.
/// </summary>
public sealed class SqliteConnectionWithoutDecimalFunctions(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    protected override DbConnection CreateDbConnection() => new SqliteConnection(GetValidatedConnectionString());
}
