using Cashout.Domain.Cashouts;

namespace Cashout.Portal.Cashouts;

/// <summary>A cashout's status changed (after the commit), for pages that show it live.</summary>
public sealed record CashoutChanged(long CashoutId, string MerchantId, CashoutStatus Status);

/// <summary>
/// In-process notifications of committed cashout changes, so an open page reflects what a job, a webhook or an
/// admin did without a reload. One app instance runs everything, jobs included (docs/decisions/015-hangfire-jobs.md), so
/// an in-memory broadcast is enough; the database stays the truth and pages re-read it when notified.
/// </summary>
public sealed class CashoutChanges
{
    public event Action<CashoutChanged>? Changed;

    public void Publish(CashoutChanged change)
    {
        foreach (var handler in Changed?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action<CashoutChanged>)handler)(change);
            }
            catch (Exception)
            {
                // A page that failed to refresh must not fail the job or request that made the change.
            }
        }
    }
}
