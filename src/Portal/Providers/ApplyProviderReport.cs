using Cashout.Domain;
using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Providers;

/// <summary>What a provider said about a payout, from a webhook, a status poll or a submission answer.</summary>
/// <param name="Status">One of <see cref="PayoutStatuses"/>, or <see cref="Accepted"/> for a submission answer.</param>
/// <param name="WebhookId">The webhook's id when it came by webhook: a second delivery of it changes nothing.</param>
public sealed record ProviderReport(
    PayoutMethod Provider,
    long CashoutId,
    string Status,
    string Source,
    string? ProviderPayoutId = null,
    string? Code = null,
    string? Reason = null,
    string? WebhookId = null)
{
    public const string Accepted = "accepted";
}

public enum ReportOutcome
{
    /// <summary>Recorded; the status changed if the report moved it forward.</summary>
    Applied,

    /// <summary>A webhook id seen before: nothing was written.</summary>
    Duplicate,

    /// <summary>No cashout of this provider matches: recorded nowhere but the log.</summary>
    UnknownPayout,
}

/// <summary>
/// Applies a provider's report in ONE transaction: the webhook receipt (de-duplication), the submission's state,
/// the timeline's provider event and whatever status transitions the report implies. Transitions apply only from
/// their expected state, so reports out of order (completed before processing, a failed after completed) or
/// repeated change nothing they should not; the provider event is recorded either way.
/// </summary>
public sealed class ApplyProviderReport(
    IDbContextFactory<PortalDbContext> dbFactory,
    CashoutTransitionRunner runner,
    CashoutChanges changes,
    IOptions<CashoutOptions> cashoutOptions,
    TimeProvider time,
    ILogger<ApplyProviderReport> logger)
{
    /// <summary>Compiled: the three reports of every payout are read inside the write lock (docs/performance.md).</summary>
    private static readonly Func<PortalDbContext, PayoutMethod, string, CancellationToken, Task<bool>> ReceiptExists =
        EF.CompileAsyncQuery((PortalDbContext db, PayoutMethod provider, string webhookId, CancellationToken _) =>
            db.ProviderWebhookReceipts.Any(r => r.Provider == provider && r.WebhookId == webhookId));

    private static readonly Func<PortalDbContext, long, PayoutMethod, CancellationToken, Task<MerchantCashout?>> CashoutPaidBy =
        EF.CompileAsyncQuery((PortalDbContext db, long cashoutId, PayoutMethod provider, CancellationToken _) =>
            db.Cashouts.SingleOrDefault(c => c.Id == cashoutId && c.Method == provider));

    public async Task<ReportOutcome> HandleAsync(ProviderReport report, CancellationToken cancellationToken = default)
    {
        var provider = report.Provider.ToApiName();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // BEGIN IMMEDIATE, or the merchant's lock: two deliveries of one webhook queue up here, and the second finds
        // the first's receipt (a report for an unknown cashout has no merchant; the receipt's unique index decides).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockMerchantOfCashoutAsync(report.CashoutId, cancellationToken);
        var now = time.GetUtcNow();
        if (report.WebhookId is not null)
        {
            if (await ReceiptExists(db, report.Provider, report.WebhookId, cancellationToken))
            {
                return ReportOutcome.Duplicate;
            }

            await db.InsertAsync(ProviderWebhookReceipt.Record(report.Provider, report.WebhookId, report.Status, report.CashoutId, now), cancellationToken);
        }

        var cashout = await CashoutPaidBy(db, report.CashoutId, report.Provider, cancellationToken);
        if (cashout is null)
        {
            logger.LogWarning("{Provider} reported {Status} for unknown cashout {CashoutId} ({Source})", provider, report.Status, report.CashoutId, report.Source);
            await transaction.CommitAsync(cancellationToken);
            return ReportOutcome.UnknownPayout;
        }

        if (!await RecordOnSubmissionAsync(db, report, now, cancellationToken))
        {
            var submission = ProviderSubmission.Start(cashout.Id, cashout.Method, now);
            if (report.ProviderPayoutId is not null)
            {
                submission.RecordAccepted(report.ProviderPayoutId, now);
            }

            await db.InsertAsync(submission, cancellationToken);
        }

        var before = cashout.Status;
        var transitions = Transitions(cashout, report, now, out var ignoredBecause);
        var detail = $"{provider} {report.Source}: {report.Status}"
            + (report.ProviderPayoutId is null ? "" : $" (payout {report.ProviderPayoutId})")
            + (ignoredBecause is null ? "" : $"; no change: {ignoredBecause}");
        // Written at once, like the transitions' own events after it (PlainInserts), so the timeline keeps this order.
        await db.InsertAsync(CashoutEvent.ProviderReported(cashout.Id, provider, detail, report.Code, report.Reason, now), cancellationToken);
        foreach (var applied in transitions)
        {
            await runner.WriteAsync(db, cashout, applied, cancellationToken); // saves the cashout's change
        }

        await transaction.CommitAsync(cancellationToken);
        if (cashout.Status != before)
        {
            changes.Publish(new CashoutChanged(cashout.Id, cashout.MerchantId, cashout.Status));
        }

        return ReportOutcome.Applied;
    }

    /// <summary><see cref="ProviderSubmission.RecordAccepted"/> in SQL: the provider's payout id and the acknowledgement kept if known already.</summary>
    private const string RecordAcceptedSql = """
        UPDATE "ProviderSubmissions"
        SET "ProviderPayoutId" = COALESCE("ProviderPayoutId", @payoutId), "AcceptedAt" = COALESCE("AcceptedAt", @now), "LastError" = NULL, "LastContactAt" = @now
        WHERE "CashoutId" = @cashoutId
        """;

    /// <summary><see cref="ProviderSubmission.RecordContact"/> in SQL.</summary>
    private const string RecordContactSql = """UPDATE "ProviderSubmissions" SET "LastContactAt" = @now WHERE "CashoutId" = @cashoutId""";

    /// <summary>
    /// What the report tells of the cashout's submission, as one plain statement: every report of every payout runs
    /// it inside the write turn, where a read and <c>SaveChanges</c> cost more than the update (docs/performance.md).
    /// False when the cashout has no submission yet.
    /// </summary>
    private static async Task<bool> RecordOnSubmissionAsync(PortalDbContext db, ProviderReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(report.ProviderPayoutId is null ? RecordContactSql : RecordAcceptedSql);
        if (report.ProviderPayoutId is not null)
        {
            command.AddParameter("payoutId", report.ProviderPayoutId);
        }

        command.AddParameter("now", now.ToUnixTimeMilliseconds());
        command.AddParameter("cashoutId", report.CashoutId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The transitions a report implies from the cashout's current status; none when it is not the expected one.</summary>
    private List<CashoutTransition> Transitions(MerchantCashout cashout, ProviderReport report, DateTimeOffset now, out string? ignoredBecause)
    {
        var actor = Actor.Provider(report.Provider.ToApiName());
        var code = string.IsNullOrWhiteSpace(report.Code) ? report.Status : report.Code;
        var reason = string.IsNullOrWhiteSpace(report.Reason) ? $"The provider reported the payout {report.Status}." : report.Reason;
        var steps = new List<Func<Result<CashoutTransition, DomainError>>>();
        switch (report.Status)
        {
            case PayoutStatuses.Completed:
                steps.Add(() => cashout.Complete(actor, now, cashoutOptions.Value.ReversalWindow));
                break;
            case PayoutStatuses.Failed:
                steps.Add(() => cashout.Fail(actor, code, reason, now));
                break;
            case PayoutStatuses.Returned:
                // A return may be the first news of a payout whose completion webhook is still on its way.
                if (cashout.Status == CashoutStatus.Processing)
                {
                    steps.Add(() => cashout.Complete(actor, now, cashoutOptions.Value.ReversalWindow));
                }

                steps.Add(() => cashout.Return(actor, code, reason, now));
                break;
            default:
                // accepted / processing: the cashout is already Processing; the event is recorded, nothing moves.
                ignoredBecause = null;
                return [];
        }

        var applied = new List<CashoutTransition>();
        foreach (var step in steps)
        {
            var result = step();
            if (result.IsFailure)
            {
                ignoredBecause = result.Error.Message;
                logger.LogInformation("{Provider} report {Status} for cashout {CashoutId} not applied: {Reason}",
                    report.Provider.ToApiName(), report.Status, cashout.Id, result.Error.Message);
                return applied;
            }

            applied.Add(result.Value);
        }

        ignoredBecause = null;
        return applied;
    }
}
