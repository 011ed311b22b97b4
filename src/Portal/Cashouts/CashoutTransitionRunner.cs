using Cashout.Domain;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// Applies one transition of a cashout as one database transaction: the status (only from the version that
/// was read), the ledger posting, the timeline event and the stage email. Used by every status use case.
/// </summary>
public sealed class CashoutTransitionRunner(
    IDbContextFactory<PortalDbContext> dbFactory,
    LedgerWriter ledger,
    CashoutNotifier notifier,
    CashoutChanges changes,
    AuditLog audit,
    ClientAddress clientAddress,
    TimeProvider time)
{
    public delegate Result<CashoutTransition, DomainError> Transition(MerchantCashout cashout, DateTimeOffset now);

    /// <summary>More of the caller's writes, in the transition's transaction (the submit job's first attempt at the provider).</summary>
    public delegate Task Alongside(PortalDbContext db, MerchantCashout cashout, CancellationToken cancellationToken);

    /// <summary>Compiled: every transition reads its cashout inside the write lock (docs/performance.md).</summary>
    private static readonly Func<PortalDbContext, long, CancellationToken, Task<MerchantCashout?>> CashoutById =
        EF.CompileAsyncQuery((PortalDbContext db, long cashoutId, CancellationToken _) => db.Cashouts.SingleOrDefault(c => c.Id == cashoutId));

    /// <param name="adminAuditAction">When an admin makes this transition, the audit log records it under this action, in the same transaction.</param>
    /// <param name="alongside">Written in the same transaction once the transition applies.</param>
    public async Task<CommandResult> RunAsync(
        Caller caller, long cashoutId, Transition transition, CancellationToken cancellationToken, string? adminAuditAction = null, Alongside? alongside = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // BEGIN IMMEDIATE, or the merchant's lock (WriterLocks): writers queue up, so what this reads stays true until it commits.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A failed SaveChanges ends this transaction unsaved (the writes below never continue after one), so EF Core's
        // savepoint around each SaveChanges would only cost two statements more each time (docs/performance.md).
        db.Database.AutoSavepointsEnabled = false;
        await db.LockMerchantOfCashoutAsync(cashoutId, cancellationToken);
        var cashout = await CashoutById(db, cashoutId, cancellationToken);
        if (cashout is null || !caller.CanActFor(cashout.MerchantId))
        {
            return CommandResult.NotFound;
        }

        var before = new { status = cashout.Status, holdReason = cashout.HoldReason };
        var result = transition(cashout, time.GetUtcNow());
        if (result.IsFailure)
        {
            return CommandResult.Refused(result.Error.Code, result.Error.Message);
        }

        try
        {
            if (caller.IsAdmin && adminAuditAction is not null)
            {
                // The back office's cashout pages hand over the admin without the address; the circuit knows it.
                await audit.AppendAsync(db, AuditRecord.AdminAction(
                    clientAddress.Complete(caller),
                    adminAuditAction,
                    $"Cashout #{cashout.Id} ({cashout.Amount}): {before.status} -> {cashout.Status}",
                    "cashout",
                    cashout.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    before,
                    new { status = cashout.Status, reason = result.Value.Event.Reason }), cancellationToken);
            }

            if (alongside is not null)
            {
                await alongside(db, cashout, cancellationToken);
            }

            await WriteAsync(db, cashout, result.Value, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changes.Publish(new CashoutChanged(cashout.Id, cashout.MerchantId, cashout.Status));
            return CommandResult.Ok;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else moved this cashout since it was read: this transition no longer applies.
            return CommandResult.Refused(CashoutErrors.InvalidTransitionCode, "The cashout changed meanwhile; reload it and try again.");
        }
    }

    /// <summary>
    /// Writes an applied transition in the caller's transaction. The cashout must already have its id. The posting
    /// goes last: the accounts it shares with every other cashout (LedgerWriter) then stay locked on PostgreSQL only
    /// for the posting's own statements and the commit.
    /// </summary>
    internal async Task WriteAsync(PortalDbContext db, MerchantCashout cashout, CashoutTransition transition, CancellationToken cancellationToken)
    {
        await notifier.RecordAsync(db, cashout, transition, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (transition.Posting is not null)
        {
            await ledger.PostAsync(db, transition.Posting, cashout.MerchantId, cashout.Id, cancellationToken);
        }
    }
}
