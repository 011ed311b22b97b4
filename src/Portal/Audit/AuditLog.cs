using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Audit;

/// <summary>
/// Appends to the audit log. Admin actions append inside the transaction of the change they record (so both
/// commit or neither); security events that have no transaction of their own use <see cref="RecordAsync"/>.
/// The chain needs one writer at a time: appends run in a BEGIN IMMEDIATE transaction on SQLite, under the chain's
/// lock on PostgreSQL (<see cref="WriterLocks"/>), held from the read of the last entry to the commit; a unique index
/// on PreviousHash refuses a fork anyway.
/// </summary>
public sealed class AuditLog(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Adds the entry to <paramref name="db"/>, inside its open transaction; the caller's SaveChanges writes it.</summary>
    public async Task AppendAsync(PortalDbContext db, AuditRecord record, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit entries are appended inside the transaction of the change they record.");
        }

        await db.LockAuditChainAsync(cancellationToken);

        // Entries added earlier in this same unit of work come after whatever is stored.
        var last = db.ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .OrderByDescending(e => e.Id)
            .Select(e => new { e.Id, e.Hash })
            .FirstOrDefault()
            ?? await db.AuditEntries.AsNoTracking()
                .OrderByDescending(e => e.Id)
                .Select(e => new { e.Id, e.Hash })
                .FirstOrDefaultAsync(cancellationToken);

        var actorName = record.Actor.Name;
        if (actorName is null && record.Actor.Id is { } actorId && record.Actor.Kind is not AuditActorKind.System)
        {
            actorName = await db.Users.Where(u => u.Id == actorId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        }

        db.AuditEntries.Add(new AuditEntry((last?.Id ?? 0) + 1, time.GetUtcNow(), record, actorName, last?.Hash ?? ""));
    }

    /// <summary>Records an event in a transaction of its own.</summary>
    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AppendAsync(db, record, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
