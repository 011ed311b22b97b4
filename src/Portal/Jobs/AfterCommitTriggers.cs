using System.Data.Common;
using System.Runtime.CompilerServices;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Providers;
using Cashout.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cashout.Portal.Jobs;

/// <summary>
/// Notes what a SaveChanges wrote that has a natural moment to run, and hands it to <see cref="PipelineTriggers"/>
/// once it is committed: right away when SaveChanges ran in its own transaction, else when the caller's
/// transaction commits (nothing when it rolls back). The use cases and the domain know nothing of it: whoever
/// queues an email, writes a webhook delivery, makes a cashout Pending or sets a submission's retry time gets the
/// job that follows, and a job never starts before the data it needs is visible. Rows written by
/// <see cref="PlainInserts"/> (always inside a transaction) are told of directly and fire at its commit too.
/// </summary>
public sealed class AfterCommitTriggers(PipelineTriggers triggers) : SaveChangesInterceptor, IDbTransactionInterceptor, IPlainInsertObserver
{
    private readonly ConditionalWeakTable<DbContext, Written> written = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Of(eventData.Context)?.Saving.Clear();

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Forget(eventData.Context); // left over from a transaction that was disposed without commit or rollback
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Fire(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Fire(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void Inserted(DbContext context, object entity)
    {
        if (NeedsJobWhenAdded(entity))
        {
            written.GetOrCreateValue(context).Committing.Add(entity);
        }
    }

    /// <summary>Before the write: which entities may need a job (their ids are known only after it).</summary>
    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<object>? saving = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (NeedsJob(entry))
            {
                (saving ??= []).Add(entry.Entity);
            }
        }

        if (saving is not null)
        {
            written.GetOrCreateValue(context).Saving.AddRange(saving);
        }
    }

    private static bool NeedsJobWhenAdded(object entity) => entity is OutboxMessage or WebhookDelivery or MerchantCashout;

    private static bool NeedsJob(EntityEntry entry) => (entry.State, entry.Entity) switch
    {
        (EntityState.Added, _) => NeedsJobWhenAdded(entry.Entity),
        (EntityState.Modified, OutboxMessage or WebhookDelivery or ProviderSubmission) => entry.Property(nameof(OutboxMessage.NextAttemptAt)).IsModified,
        (EntityState.Modified, MerchantCashout) => entry.Property(nameof(MerchantCashout.Status)).IsModified,
        _ => false,
    };

    private void Saved(DbContext? context)
    {
        if (context is null || Of(context) is not { } work || work.Saving.Count == 0)
        {
            return;
        }

        work.Committing.AddRange(work.Saving);
        work.Saving.Clear();
        if (context.Database.CurrentTransaction is null)
        {
            Fire(context); // SaveChanges committed its own transaction
        }
    }

    private void Fire(DbContext? context)
    {
        if (context is null || Of(context) is not { } work)
        {
            return;
        }

        var entities = work.Committing.ToList();
        work.Committing.Clear();
        if (entities.OfType<OutboxMessage>().Where(m => m.Status == OutboxStatus.Pending).Select(m => (DateTimeOffset?)m.NextAttemptAt).Min() is { } emailDue)
        {
            triggers.EmailQueued(emailDue);
        }

        if (entities.OfType<WebhookDelivery>().Where(d => d.Status == WebhookDeliveryStatus.Pending).Select(d => (DateTimeOffset?)d.NextAttemptAt).Min() is { } webhookDue)
        {
            triggers.WebhookQueued(webhookDue);
        }

        foreach (var cashout in entities.OfType<MerchantCashout>().Where(c => c.Status == CashoutStatus.Pending))
        {
            triggers.CashoutPending(cashout.Id, cashout.CreatedAt);
        }

        foreach (var submission in entities.OfType<ProviderSubmission>().Where(s => s.AcceptedAt is null))
        {
            triggers.SubmitAt(submission.CashoutId, submission.NextAttemptAt);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null && Of(context) is { } work)
        {
            work.Saving.Clear();
            work.Committing.Clear();
        }
    }

    private Written? Of(DbContext? context) => context is not null && written.TryGetValue(context, out var work) ? work : null;

    /// <summary>One context's entities: being saved, and saved but not committed yet.</summary>
    private sealed class Written
    {
        public List<object> Saving { get; } = [];

        public List<object> Committing { get; } = [];
    }
}
