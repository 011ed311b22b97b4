using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Data;

/// <summary>
/// The money rules read, then write: a cashout request reads the balance, the cashout awaiting submission and the
/// cooldown, then reserves. They hold only if no other writer changes what was read before the commit
/// (docs/decisions/031-merchant-writer-locks.md). On SQLite every write transaction is BEGIN IMMEDIATE and holds the
/// database's one write lock, so these are no-ops. On PostgreSQL (many writers, many nodes) the transaction takes a
/// lock on the merchant first, held until it commits or rolls back: a transaction-level advisory lock keyed on
/// the merchant's id, so nothing else (Identity updating the user's row) waits on it. Every transaction that
/// changes a merchant's money, cashouts or payout destinations takes it before its first read. The unique partial
/// index and the non-negative conditional update stay the last line on both.
/// </summary>
public static class WriterLocks
{
    /// <summary>The advisory lock space of merchants (the key's first half); the second half is a hash of the id.</summary>
    private const int MerchantSpace = 1;

    /// <summary>The audit log's hash chain: one writer at a time appends.</summary>
    private const int AuditChainSpace = 2;

    public static async Task LockMerchantAsync(this PortalDbContext db, string merchantId, CancellationToken cancellationToken)
    {
        if (!RequiresLock(db))
        {
            return;
        }

        // An API request or a page's write waits only as long as it would for SQLite's write lock (then it is busy: 503,
        // or a toast); in the same round trip, for this transaction only.
        if (SqliteBusyTimeout.CurrentLimitSeconds is { } seconds)
        {
            await db.Database.ExecuteSqlAsync(
                $"SELECT set_config('lock_timeout', {(seconds * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)}, true); SELECT pg_advisory_xact_lock({MerchantSpace}, hashtext({merchantId}))",
                cancellationToken);
            return;
        }

        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({MerchantSpace}, hashtext({merchantId}))", cancellationToken);
    }

    /// <summary>Locks the merchant a cashout belongs to (a cashout never changes merchant); nothing when there is no such cashout.</summary>
    public static async Task LockMerchantOfCashoutAsync(this PortalDbContext db, long cashoutId, CancellationToken cancellationToken)
    {
        if (RequiresLock(db)
            && await db.Cashouts.Where(c => c.Id == cashoutId).Select(c => c.MerchantId).SingleOrDefaultAsync(cancellationToken) is { } merchantId)
        {
            await db.LockMerchantAsync(merchantId, cancellationToken);
        }
    }

    /// <summary>Taken by an audit append, after any merchant lock of the same transaction (always in that order: no deadlock).</summary>
    public static async Task LockAuditChainAsync(this PortalDbContext db, CancellationToken cancellationToken)
    {
        if (RequiresLock(db))
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditChainSpace}, 0)", cancellationToken);
        }
    }

    private static bool RequiresLock(PortalDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A writer lock is taken inside the transaction it protects.");
        }

        return !db.Database.IsSqlite();
    }
}
