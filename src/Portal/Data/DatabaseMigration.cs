using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Data;

/// <summary>
/// Brings the database to the latest EF Core migration of its provider's set (src/Portal/Data/Migrations/Sqlite or
/// PostgreSql), at start and before the operator command. Several processes starting together apply each migration
/// once: EF Core holds its migrations lock (a row in <c>__EFMigrationsLock</c> on SQLite, a table lock on PostgreSQL)
/// while it migrates, and the others wait for it (docs/decisions/013-ef-core-migrations.md).
/// </summary>
public sealed class DatabaseMigration(PortalDbContext db, ILogger<DatabaseMigration> logger)
{
    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsSqlite())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        // WAL lets readers go on while one writer commits; the setting is stored in the file itself.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

        if (await LegacySchemaAdoption.AdoptAsync(db, cancellationToken))
        {
            logger.LogInformation("Recorded the schema made by the SQL scripts 0001-0005 as migration {Migration}", LegacySchemaAdoption.InitialMigrationId);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
