namespace Cashout.Portal.Cashouts;

/// <summary>
/// A page's subscription to <see cref="CashoutChanges"/>: calls <paramref name="onChange"/> for the changes that
/// <paramref name="concerns"/> the page (e.g. the merchant's own cashouts), and stops when disposed with the page.
/// The callback runs on the publisher's thread (a job, a webhook, another circuit): pages marshal it with InvokeAsync.
/// Refreshes never overlap: a change that arrives during one is coalesced into one more refresh after it, with the
/// latest change. Overlapping refreshes could finish out of order and leave the page on a state read before the last
/// change (a hold's read landing after the release's).
/// </summary>
public sealed class CashoutChangeSubscription : IDisposable
{
    private readonly CashoutChanges changes;
    private readonly Func<CashoutChanged, bool> concerns;
    private readonly Func<CashoutChanged, Task> onChange;
    private readonly Lock gate = new();
    private bool refreshing;
    private CashoutChanged? pending;

    public CashoutChangeSubscription(CashoutChanges changes, Func<CashoutChanged, bool> concerns, Func<CashoutChanged, Task> onChange)
    {
        this.changes = changes;
        this.concerns = concerns;
        this.onChange = onChange;
        changes.Changed += Handle;
    }

    public void Dispose() => changes.Changed -= Handle;

    private void Handle(CashoutChanged change)
    {
        if (!concerns(change))
        {
            return;
        }

        lock (gate)
        {
            if (refreshing)
            {
                pending = change;
                return;
            }

            refreshing = true;
        }

        // Fire and forget: the publisher (a committed transaction) must never wait for a page to re-render.
        _ = RefreshAsync(change);
    }

    private async Task RefreshAsync(CashoutChanged change)
    {
        while (true)
        {
            try
            {
                await onChange(change);
            }
            catch (ObjectDisposedException)
            {
                // The circuit went away between the change and the refresh: nothing left to update.
            }
            catch
            {
                lock (gate)
                {
                    refreshing = false;
                    pending = null;
                }

                throw;
            }

            lock (gate)
            {
                if (pending is null)
                {
                    refreshing = false;
                    return;
                }

                change = pending;
                pending = null;
            }
        }
    }
}
