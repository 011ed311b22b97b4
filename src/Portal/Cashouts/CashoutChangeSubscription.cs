namespace Cashout.Portal.Cashouts;

/// <summary>
/// A page's subscription to <see cref="CashoutChanges"/>: calls <paramref name="onChange"/> for the changes that
/// <paramref name="concerns"/> the page (e.g. the merchant's own cashouts), and stops when disposed with the page.
/// The callback runs on the publisher's thread (a job, a webhook, another circuit): pages marshal it with InvokeAsync.
/// </summary>
public sealed class CashoutChangeSubscription : IDisposable
{
    private readonly CashoutChanges changes;
    private readonly Func<CashoutChanged, bool> concerns;
    private readonly Func<CashoutChanged, Task> onChange;

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
        if (concerns(change))
        {
            // Fire and forget: the publisher (a committed transaction) must never wait for a page to re-render.
            _ = RefreshAsync(change);
        }
    }

    private async Task RefreshAsync(CashoutChanged change)
    {
        try
        {
            await onChange(change);
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the change and the refresh: nothing left to update.
        }
    }
}
