using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Providers;

public sealed record SubmitRun(int MovedToProcessing, int Sent, int Failed, int Retrying);

/// <summary>
/// The submit job's work, all derived from the database: Pending cashouts past the review window move to
/// Processing (only from Pending, so an admin's hold or cancel meanwhile wins), then every Processing cashout the
/// provider has not acknowledged is sent with its idempotency key. Moving to Processing first is what makes this
/// safe: a Processing cashout can no longer be cancelled, so money can never be both paid out and refunded; and a
/// crash after the move is repaired by the next run sending it again under the same key, which pays at most once.
/// </summary>
public sealed class SubmitDueCashouts(
    IDbContextFactory<PortalDbContext> dbFactory,
    ProviderTransitions transitions,
    PayoutProviders providers,
    ApplyProviderReport reports,
    IOptions<PayoutOptions> options,
    TimeProvider time,
    ILogger<SubmitDueCashouts> logger)
{
    public static Actor Actor { get; } = Actor.System("submit-job");

    public async Task<SubmitRun> HandleAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var moved = 0;
        foreach (var id in await DueForReviewEndAsync(settings, cancellationToken))
        {
            var result = await transitions.SubmitAsync(Actor, id, PayoutReference.For(id), cancellationToken);
            moved += result.Succeeded ? 1 : 0;
        }

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<SendOutcome>();
        await Parallel.ForEachAsync(
            await AwaitingProviderAsync(settings, cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = settings.SubmitParallelism, CancellationToken = cancellationToken },
            async (id, ct) => outcomes.Add(await SendAsync(id, settings, ct)));

        return new SubmitRun(moved, outcomes.Count(o => o == SendOutcome.Sent), outcomes.Count(o => o == SendOutcome.Rejected), outcomes.Count(o => o == SendOutcome.Retrying));
    }

    private async Task<List<long>> DueForReviewEndAsync(PayoutOptions settings, CancellationToken cancellationToken)
    {
        var reviewedBefore = time.GetUtcNow() - settings.ReviewWindow;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Cashouts
            .Where(c => c.Status == CashoutStatus.Pending && c.CreatedAt <= reviewedBefore)
            .OrderBy(c => c.Id).Select(c => c.Id).Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
    }

    private async Task<List<long>> AwaitingProviderAsync(PayoutOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Cashouts
            .Where(c => c.Status == CashoutStatus.Processing)
            .Where(c => !db.ProviderSubmissions.Any(s => s.CashoutId == c.Id && (s.AcceptedAt != null || s.NextAttemptAt > now)))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
    }

    private enum SendOutcome
    {
        Sent,
        Rejected,
        Retrying,
        Skipped,
    }

    private async Task<SendOutcome> SendAsync(long cashoutId, PayoutOptions settings, CancellationToken cancellationToken)
    {
        MerchantCashout cashout;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cashout = await db.Cashouts.AsNoTracking().SingleAsync(c => c.Id == cashoutId, cancellationToken);
            var submission = await db.ProviderSubmissions.SingleOrDefaultAsync(s => s.CashoutId == cashoutId, cancellationToken);
            if (cashout.Status != CashoutStatus.Processing || submission?.AcceptedAt is not null)
            {
                return SendOutcome.Skipped;
            }

            // The attempt is counted before the call: if the process dies during it, the count still shows it.
            if (submission is null)
            {
                submission = ProviderSubmission.Start(cashoutId, cashout.Method, time.GetUtcNow());
                db.ProviderSubmissions.Add(submission);
            }

            submission.RecordAttempt();
            await db.SaveChangesAsync(cancellationToken);
        }

        var provider = providers.For(cashout.Method);
        var call = await provider.SubmitAsync(
            new PayoutInstruction(PayoutReference.For(cashoutId), PayoutReference.For(cashoutId), cashout.Amount, cashout.Fee, cashout.NetPayout, cashout.PayeeReference, cashout.Quote.IsInstant),
            cancellationToken);

        if (call.Value is { } payout)
        {
            await reports.HandleAsync(new ProviderReport(cashout.Method, cashoutId, ProviderReport.Accepted, "submission", payout.Id), cancellationToken);
            if (payout.Status is PayoutStatuses.Completed or PayoutStatuses.Failed or PayoutStatuses.Returned)
            {
                // A resubmission found a payout the provider already finished: take its outcome now.
                await reports.HandleAsync(new ProviderReport(cashout.Method, cashoutId, payout.Status, "submission", payout.Id, payout.Code, payout.Reason), cancellationToken);
            }

            return SendOutcome.Sent;
        }

        var failure = call.Failure!;
        if (!failure.IsTransient)
        {
            logger.LogWarning("{Provider} rejected cashout {CashoutId}: {Failure}", provider.Method, cashoutId, failure);
            await reports.HandleAsync(new ProviderReport(cashout.Method, cashoutId, PayoutStatuses.Failed, "submission", Code: failure.Code, Reason: failure.Reason), cancellationToken);
            return SendOutcome.Rejected;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var submission = await db.ProviderSubmissions.SingleAsync(s => s.CashoutId == cashoutId, cancellationToken);
            submission.RecordTransientFailure(failure.ToString(), time.GetUtcNow(), TimeSpan.FromSeconds(settings.SubmitRetryBaseSeconds), TimeSpan.FromSeconds(settings.SubmitRetryMaxSeconds));
            db.CashoutEvents.Add(CashoutEvent.ProviderReported(cashoutId, provider.Method.ToApiName(),
                $"Submission attempt {submission.Attempts} failed; retrying at {submission.NextAttemptAt:u}", failure.Code, failure.Reason, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogWarning("{Provider} unavailable for cashout {CashoutId}, will retry: {Failure}", provider.Method, cashoutId, failure);
        return SendOutcome.Retrying;
    }
}
