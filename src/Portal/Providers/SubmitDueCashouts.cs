using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Providers;

/// <summary>
/// What the submit sweep found: cashouts to submit now, those whose review window ends within its horizon, and
/// whether more were due than a batch holds.
/// </summary>
public sealed record SubmitPlan(IReadOnlyList<long> Due, IReadOnlyList<(long CashoutId, DateTimeOffset DueAt)> Upcoming, bool MoreDue = false);

/// <summary>What one submission step did with a cashout.</summary>
public enum SubmitOutcome
{
    /// <summary>Nothing to do: not Pending past its window, or already acknowledged, or its retry time has not come.</summary>
    NothingDue,
    Sent,
    Rejected,
    Retrying,
}

/// <summary>
/// The submit job's work, all derived from the database: a Pending cashout past the review window moves to
/// Processing (only from Pending, so an admin's hold or cancel meanwhile wins), then a Processing cashout the
/// provider has not acknowledged is sent with its idempotency key once its retry time has come. Moving to
/// Processing first is what makes this safe: a Processing cashout can no longer be cancelled, so money can never be
/// both paid out and refunded; and a crash after the move is repaired by sending it again under the same key,
/// which pays at most once. <see cref="SubmitAsync"/> on the same cashout twice changes nothing the second time.
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

    /// <summary>
    /// The cashouts to submit now (Pending past the review window, or Processing with a due retry), and the Pending
    /// ones whose window ends within <paramref name="horizon"/>, with that moment; a batch of each
    /// (Payouts:BatchSize), leaving out <paramref name="inFlight"/> (submissions already queued or running).
    /// </summary>
    public async Task<SubmitPlan> PlanAsync(TimeSpan horizon, IReadOnlyCollection<long> inFlight, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var reviewedBefore = now - settings.ReviewWindow;
        var reviewedBeforeHorizon = reviewedBefore + horizon;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One array parameter (json_each on SQLite, = ANY on PostgreSQL), not EF Core's default of a parameter an id:
        // at month end thousands are in flight, more than a statement may have parameters, and SQLite finds each
        // parameter by its name among the others (a run of the API's requests spent a seventh of its CPU there).
        var excluded = inFlight.ToArray();
        var pending = await db.Cashouts
            .Where(c => c.Status == CashoutStatus.Pending && c.CreatedAt <= reviewedBeforeHorizon && !EF.Parameter(excluded).Contains(c.Id))
            .OrderBy(c => c.Id).Select(c => new { c.Id, c.CreatedAt }).Take(settings.BatchSize + 1)
            .ToListAsync(cancellationToken);
        var awaitingProvider = await db.Cashouts
            .Where(c => c.Status == CashoutStatus.Processing && !EF.Parameter(excluded).Contains(c.Id))
            .Where(c => !db.ProviderSubmissions.Any(s => s.CashoutId == c.Id && (s.AcceptedAt != null || s.NextAttemptAt > now)))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(settings.BatchSize + 1)
            .ToListAsync(cancellationToken);

        var moreDue = pending.Count > settings.BatchSize || awaitingProvider.Count > settings.BatchSize;
        pending = [.. pending.Take(settings.BatchSize)];
        var due = pending.Where(c => c.CreatedAt <= reviewedBefore).Select(c => c.Id).Concat(awaitingProvider.Take(settings.BatchSize)).ToList();
        var upcoming = pending.Where(c => c.CreatedAt > reviewedBefore).Select(c => (c.Id, c.CreatedAt + settings.ReviewWindow)).ToList();
        return new SubmitPlan(due, upcoming, moreDue);
    }

    /// <summary>Compiled: every submission reads its cashout and its submission (docs/performance.md).</summary>
    private static readonly Func<PortalDbContext, long, CancellationToken, Task<MerchantCashout?>> CashoutById =
        EF.CompileAsyncQuery((PortalDbContext db, long cashoutId, CancellationToken _) => db.Cashouts.AsNoTracking().SingleOrDefault(c => c.Id == cashoutId));

    private static readonly Func<PortalDbContext, long, CancellationToken, Task<ProviderSubmission?>> SubmissionOf =
        EF.CompileAsyncQuery((PortalDbContext db, long cashoutId, CancellationToken _) => db.ProviderSubmissions.SingleOrDefault(s => s.CashoutId == cashoutId));

    /// <summary>Takes one cashout as far as the database says it should go now: to Processing, then to its provider.</summary>
    public async Task<SubmitOutcome> SubmitAsync(long cashoutId, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        MerchantCashout? read;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            read = await CashoutById(db, cashoutId, cancellationToken);
        }

        if (read is null)
        {
            return SubmitOutcome.NothingDue;
        }

        if (read.Status == CashoutStatus.Pending)
        {
            if (read.CreatedAt > time.GetUtcNow() - settings.ReviewWindow)
            {
                return SubmitOutcome.NothingDue;
            }

            // The first attempt is counted in the commit that moves the cashout to Processing, before the call: if the
            // process dies during the call, the count still shows it, and the sweep sends it again under the same key.
            MerchantCashout? submitted = null;
            var moved = await transitions.SubmitAsync(Actor, cashoutId, PayoutReference.For(cashoutId), cancellationToken, async (db, cashout, ct) =>
            {
                CountAttempt(db, await SubmissionOf(db, cashoutId, ct), cashout);
                submitted = cashout;
            });
            // Only once that commit has happened (a concurrent hold or cancel refuses it): a cashout is never paid from Pending.
            if (moved.Succeeded && submitted is not null)
            {
                return await CallAsync(submitted, settings, cancellationToken);
            }
        }

        return await SendAsync(cashoutId, settings, cancellationToken);
    }

    /// <summary>A Processing cashout the provider has not acknowledged, once its retry time has come: the attempt is counted, then made.</summary>
    private async Task<SubmitOutcome> SendAsync(long cashoutId, PayoutOptions settings, CancellationToken cancellationToken)
    {
        MerchantCashout? cashout;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cashout = await CashoutById(db, cashoutId, cancellationToken);
            var submission = await SubmissionOf(db, cashoutId, cancellationToken);
            if (cashout?.Status != CashoutStatus.Processing || submission?.AcceptedAt is not null || submission?.NextAttemptAt > time.GetUtcNow())
            {
                return SubmitOutcome.NothingDue;
            }

            CountAttempt(db, submission, cashout);
            await db.SaveChangesAsync(cancellationToken);
        }

        return await CallAsync(cashout, settings, cancellationToken);
    }

    /// <summary>The attempt is counted before the call: if the process dies during it, the count still shows it.</summary>
    private void CountAttempt(PortalDbContext db, ProviderSubmission? submission, MerchantCashout cashout)
    {
        if (submission is null)
        {
            submission = ProviderSubmission.Start(cashout.Id, cashout.Method, time.GetUtcNow());
            db.ProviderSubmissions.Add(submission);
        }

        submission.RecordAttempt();
    }

    /// <summary>Sends the payout under the cashout's idempotency key and records what the provider answered.</summary>
    private async Task<SubmitOutcome> CallAsync(MerchantCashout cashout, PayoutOptions settings, CancellationToken cancellationToken)
    {
        var cashoutId = cashout.Id;
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

            return SubmitOutcome.Sent;
        }

        var failure = call.Failure!;
        if (!failure.IsTransient)
        {
            logger.LogWarning("{Provider} rejected cashout {CashoutId}: {Failure}", provider.Method, cashoutId, failure);
            await reports.HandleAsync(new ProviderReport(cashout.Method, cashoutId, PayoutStatuses.Failed, "submission", Code: failure.Code, Reason: failure.Reason), cancellationToken);
            return SubmitOutcome.Rejected;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var submission = (await SubmissionOf(db, cashoutId, cancellationToken))!;
            submission.RecordTransientFailure(failure.ToString(), time.GetUtcNow(), TimeSpan.FromSeconds(settings.SubmitRetryBaseSeconds), TimeSpan.FromSeconds(settings.SubmitRetryMaxSeconds));
            db.CashoutEvents.Add(CashoutEvent.ProviderReported(cashoutId, provider.Method.ToApiName(),
                $"Submission attempt {submission.Attempts} failed; retrying at {submission.NextAttemptAt:u}", failure.Code, failure.Reason, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogWarning("{Provider} unavailable for cashout {CashoutId}, will retry: {Failure}", provider.Method, cashoutId, failure);
        return SubmitOutcome.Retrying;
    }
}
