using System.Reflection;
using Cashout.Portal.Data.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cashout.Portal.Data;

/// <summary>
/// Until EF Core migrations, the schema came from five hand-written SQL scripts, recorded in <c>__SchemaVersions</c>
/// (docs/decisions/004-sqlite-workaround.md). The initial migration creates exactly that schema, so a database made by
/// them is already at it: it is recorded as applied, not run again, and later migrations apply as usual.
/// Delete this once no database made by the scripts is left.
/// </summary>
internal static class LegacySchemaAdoption
{
    public static string InitialMigrationId { get; } = typeof(Initial).GetCustomAttribute<MigrationAttribute>()!.Id;

    private static readonly long[] ScriptVersions = [1, 2, 3, 4, 5];

    /// <summary>Records the initial migration as applied when the scripts made this database; true when it did so now.</summary>
    public static async Task<bool> AdoptAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        // A read first, without the write lock: on every start but the first one after the move there is nothing to do.
        if (!await NeedsAdoptionAsync(db, cancellationToken))
        {
            return false;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // BEGIN IMMEDIATE takes the write lock before reading again, so of two processes starting together the
            // second sees what the first recorded.
            await using var connectionTransaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: false);
            await using var transaction = (await db.Database.UseTransactionAsync(connectionTransaction, cancellationToken))!;
            if (!await NeedsAdoptionAsync(db, cancellationToken))
            {
                return false;
            }

            var versions = await db.Database.SqlQueryRaw<long>("SELECT Version AS \"Value\" FROM __SchemaVersions ORDER BY Version").ToListAsync(cancellationToken);
            if (!versions.SequenceEqual(ScriptVersions))
            {
                throw new InvalidOperationException(
                    $"The database was made by the SQL scripts {string.Join(", ", versions)}; only a database at script 5 can move to EF Core migrations. " +
                    "Start the last release that applies the SQL scripts on it first.");
            }

            var history = db.GetService<IHistoryRepository>();
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(InitialMigrationId, ProductInfo.GetVersion())), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Made by the scripts (<c>__SchemaVersions</c>) and no EF Core migration recorded yet.</summary>
    private static async Task<bool> NeedsAdoptionAsync(PortalDbContext db, CancellationToken cancellationToken) =>
        await TableExistsAsync(db, "__SchemaVersions", cancellationToken)
        && (!await TableExistsAsync(db, "__EFMigrationsHistory", cancellationToken)
            || await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"__EFMigrationsHistory\"").SingleAsync(cancellationToken) == 0);

    private static async Task<bool> TableExistsAsync(PortalDbContext db, string table, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {0}", table).SingleAsync(cancellationToken) > 0;
}
