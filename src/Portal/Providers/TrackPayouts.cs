using Cashout.Domain.Cashouts;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Providers;

/// <summary>
/// The track job's work: webhooks normally confirm payouts; a Processing cashout the provider has not been heard of
/// for <see cref="PayoutOptions.PollAfterSeconds"/> is polled on the status endpoint instead, and the answer is
/// applied like a webhook. A provider that never got the payout gets it again (same key) at the next submit run.
/// </summary>
public sealed class TrackPayouts(
    IDbContextFactory<PortalDbContext> dbFactory,
    PayoutProviders providers,
    ApplyProviderReport reports,
    IOptions<PayoutOptions> options,
    TimeProvider time,
    ILogger<TrackPayouts> logger)
{
    /// <returns>How many cashouts were polled.</returns>
    public async Task<int> HandleAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var silentSince = time.GetUtcNow() - settings.PollAfter;
        List<ProviderSubmission> late;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            late = await db.ProviderSubmissions.AsNoTracking()
                .Where(s => s.AcceptedAt != null && s.LastContactAt <= silentSince)
                .Where(s => db.Cashouts.Any(c => c.Id == s.CashoutId && c.Status == CashoutStatus.Processing))
                .OrderBy(s => s.LastContactAt).Take(settings.BatchSize)
                .ToListAsync(cancellationToken);
        }

        foreach (var submission in late)
        {
            var call = await providers.For(submission.Provider).GetStatusAsync(submission.IdempotencyKey, cancellationToken);
            if (call.Value is { } payout)
            {
                await reports.HandleAsync(new ProviderReport(submission.Provider, submission.CashoutId, payout.Status, "poll", payout.Id, payout.Code, payout.Reason), cancellationToken);
                continue;
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var tracked = await db.ProviderSubmissions.SingleAsync(s => s.CashoutId == submission.CashoutId, cancellationToken);
            if (call.Failure!.Code == ProviderFailure.NotFoundCode)
            {
                logger.LogWarning("{Provider} does not know cashout {CashoutId}: sending it again", submission.Provider, submission.CashoutId);
                tracked.Resubmit(time.GetUtcNow());
            }
            else
            {
                logger.LogWarning("Polling {Provider} for cashout {CashoutId} failed: {Failure}", submission.Provider, submission.CashoutId, call.Failure);
                tracked.RecordContact(time.GetUtcNow());
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return late.Count;
    }
}
