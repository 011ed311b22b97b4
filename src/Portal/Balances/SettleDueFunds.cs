using Cashout.Domain.Ledger;
using Cashout.Portal.Data;
using Cashout.Portal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Balances;

/// <summary>
/// Moves pending funds whose settlement date has passed to available, each sale in its own transaction.
/// Idempotent: a sale is settled only if it still is not, checked inside the write transaction.
/// </summary>
public sealed class SettleDueFunds(IDbContextFactory<PortalDbContext> dbFactory, LedgerWriter ledger, TimeProvider time)
{
    public async Task<int> HandleAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.PendingFundings.Where(f => f.SettledAt == null && f.SettlesAt <= now).OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(cancellationToken);
        }

        var settled = 0;
        foreach (var id in due)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.LockMerchantAsync(await db.PendingFundings.Where(f => f.Id == id).Select(f => f.MerchantId).SingleAsync(cancellationToken), cancellationToken);
            var funding = await db.PendingFundings.SingleAsync(f => f.Id == id, cancellationToken);
            if (!funding.IsDue(now))
            {
                continue;
            }

            await ledger.PostAsync(db, LedgerPostings.Settle(funding.MerchantId, funding.Money), funding.MerchantId, cashoutId: null, cancellationToken);
            funding.MarkSettled(now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            settled++;
        }

        return settled;
    }
}
