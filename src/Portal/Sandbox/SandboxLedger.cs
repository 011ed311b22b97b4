using System.Text.Json;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Sandbox;

public enum SubmitOutcome
{
    Created,
    Replayed,
    Unavailable,
    Rejected,
    Mismatch,
}

/// <summary>
/// What the sandbox provider does with payouts: accepts each idempotency key once, moves payouts along their
/// (scaled) processing time, and queues a webhook for every change. Each step is one SQLite transaction.
/// </summary>
public sealed class SandboxLedger(IDbContextFactory<SandboxDbContext> dbFactory, IOptions<SandboxOptions> options, TimeProvider time)
{
    /// <summary>
    /// Compiled, and the submission's rows written as plain inserts (Data/PlainInserts.cs): every payout of a pipeline
    /// run is submitted here, in the portal's process (docs/performance.md).
    /// </summary>
    private static readonly Func<SandboxDbContext, string, string, CancellationToken, Task<SandboxPayout?>> PayoutByKey =
        EF.CompileAsyncQuery((SandboxDbContext db, string provider, string key, CancellationToken _) =>
            db.Payouts.AsNoTracking().SingleOrDefault(p => p.Provider == provider && p.IdempotencyKey == key));

    public async Task<(SubmitOutcome Outcome, SandboxPayout? Payout)> SubmitAsync(string provider, string key, PayoutSubmission submission, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // BEGIN IMMEDIATE: two submissions of one key queue up, so the second sees the first's payout.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var existing = await PayoutByKey(db, provider, key, cancellationToken);
        var outcome = existing switch
        {
            not null when existing.Reference == submission.Reference && existing.Amount == submission.Amount && existing.Payee == submission.Payee => SubmitOutcome.Replayed,
            not null => SubmitOutcome.Mismatch,
            _ when SandboxTriggers.IsDown(submission.Payee)
                && await db.Submissions.CountAsync(s => s.Provider == provider && s.IdempotencyKey == key && s.Outcome == "unavailable", cancellationToken) < options.Value.DownFailures
                => SubmitOutcome.Unavailable,
            _ when SandboxTriggers.IsRejected(submission.Amount) => SubmitOutcome.Rejected,
            _ => SubmitOutcome.Created,
        };

        var payout = existing;
        if (outcome == SubmitOutcome.Created)
        {
            payout = new SandboxPayout
            {
                Id = "po_" + Guid.NewGuid().ToString("N")[..20],
                Provider = provider,
                IdempotencyKey = key,
                Reference = submission.Reference,
                Amount = submission.Amount,
                Fee = submission.Fee,
                NetAmount = submission.NetAmount,
                Currency = submission.Currency,
                Payee = submission.Payee,
                Priority = submission.Priority,
                Status = PayoutStatuses.Processing,
                CreatedAtMs = now.ToUnixTimeMilliseconds(),
                DueAtMs = (now + ProcessingTime(provider, submission.Priority)).ToUnixTimeMilliseconds(),
            };
            await db.InsertAsync(payout, cancellationToken);
            await db.InsertAsync(Webhook(payout, now), cancellationToken);
        }

        await db.InsertAsync(new SandboxSubmission
        {
            Provider = provider,
            IdempotencyKey = key,
            Reference = submission.Reference,
            AtMs = now.ToUnixTimeMilliseconds(),
            Outcome = outcome.ToString().ToLowerInvariant(),
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (outcome, payout);
    }

    public async Task<SandboxPayout?> FindAsync(string provider, string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Payouts.AsNoTracking().SingleOrDefaultAsync(p => p.Provider == provider && p.IdempotencyKey == key, cancellationToken);
    }

    /// <summary>Completes payouts whose processing time is over, returns those due back; queues their webhooks.</summary>
    public async Task<int> AdvanceAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = await db.Payouts
            .Where(p => p.DueAtMs != null && p.DueAtMs <= nowMs)
            .OrderBy(p => p.DueAtMs).Take(200)
            .ToListAsync(cancellationToken);
        foreach (var payout in due)
        {
            if (payout.Status == PayoutStatuses.Processing)
            {
                payout.Status = PayoutStatuses.Completed;
                payout.DueAtMs = SandboxTriggers.IsReturned(payout.Payee) ? (now + options.Value.Scaled(options.Value.ReturnAfter)).ToUnixTimeMilliseconds() : null;
            }
            else
            {
                payout.Status = PayoutStatuses.Returned;
                payout.Code = SandboxTriggers.ReturnCode;
                payout.Reason = "Returned by the beneficiary's bank: account closed.";
                payout.DueAtMs = null;
            }

            db.Webhooks.Add(Webhook(payout, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    public async Task<List<SandboxWebhook>> DueWebhooksAsync(int max, CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Webhooks.AsNoTracking()
            .Where(w => w.DeliveredAt == null && w.NextAttemptAtMs <= nowMs)
            .OrderBy(w => w.Id).Take(max)
            .ToListAsync(cancellationToken);
    }

    /// <summary>What became of a tick's deliveries, in one transaction: delivered, or failed with an error and due again later.</summary>
    public async Task RecordDeliveriesAsync(IReadOnlyCollection<(long WebhookId, string? Error)> deliveries, CancellationToken cancellationToken)
    {
        var outcomes = deliveries.ToDictionary(d => d.WebhookId, d => d.Error);
        var ids = outcomes.Keys.ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var webhook in await db.Webhooks.Where(w => ids.Contains(w.Id)).ToListAsync(cancellationToken))
        {
            webhook.Attempts++;
            if (outcomes[webhook.Id] is not { } error)
            {
                webhook.DeliveredAt = now.ToUnixTimeMilliseconds();
                webhook.LastError = null;
            }
            else
            {
                // Real time, not scaled: this is how long the portal gets to come back.
                webhook.LastError = error.Length > 300 ? error[..300] : error;
                webhook.NextAttemptAtMs = (now + TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, webhook.Attempts - 1)))).ToUnixTimeMilliseconds();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public static PayoutResource ToResource(SandboxPayout payout) => new(payout.Id, payout.Reference, payout.Status, payout.Code, payout.Reason);

    private TimeSpan ProcessingTime(string provider, string priority) =>
        PayoutMethodNames.TryParseApiName(provider, out var method) ? options.Value.ProcessingTime(method, priority == "instant") : TimeSpan.Zero;

    /// <summary>The webhook the sandbox owes the portal for the payout's change.</summary>
    private static SandboxWebhook Webhook(SandboxPayout payout, DateTimeOffset now) => new()
    {
        WebhookId = "msg_" + Guid.NewGuid().ToString("N"),
        Provider = payout.Provider,
        Body = JsonSerializer.Serialize(new PayoutWebhookEvent("payout." + payout.Status, now, ToResource(payout)), PortalJson.Options),
        NextAttemptAtMs = now.ToUnixTimeMilliseconds(),
    };
}
