using System.Text.Json;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Data;

namespace Cashout.Portal.Cashouts;

/// <summary>A cashout's status changed (after the commit), for pages that show it live.</summary>
public sealed record CashoutChanged(long CashoutId, string MerchantId, CashoutStatus Status);

/// <summary>
/// Notifications of committed cashout changes, so an open page reflects what a job, a webhook or an admin did without
/// a reload, on this node at once and on the others through the <see cref="ChangeFeed"/>; the database stays the
/// truth and pages re-read it when notified.
/// </summary>
public sealed class CashoutChanges
{
    private const string Kind = "cashout";

    private readonly ChangeFeed feed;

    public CashoutChanges(ChangeFeed feed)
    {
        this.feed = feed;
        feed.Received += (kind, payload) =>
        {
            if (kind == Kind && JsonSerializer.Deserialize<CashoutChanged>(payload) is { } change)
            {
                Deliver(change);
            }
        };
    }

    public event Action<CashoutChanged>? Changed;

    public void Publish(CashoutChanged change)
    {
        Deliver(change);
        feed.Send(Kind, JsonSerializer.Serialize(change));
    }

    private void Deliver(CashoutChanged change)
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
