using Cashout.Domain.Cashouts;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;

namespace Cashout.Portal.UnitTests.Cashouts;

public sealed class CashoutChangeSubscriptionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Changes_during_a_refresh_make_one_more_refresh_after_it_with_the_latest_change_and_refreshes_never_overlap()
    {
        var changes = new CashoutChanges(new ChangeFeed(crossesNodes: false));
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finishFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<CashoutStatus>();
        var running = 0;
        var overlapped = false;
        using var subscription = new CashoutChangeSubscription(changes, _ => true, async change =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            lock (seen)
            {
                seen.Add(change.Status);
            }

            if (change.Status == CashoutStatus.OnHold)
            {
                firstStarted.SetResult();
                await finishFirst.Task;
            }

            Interlocked.Decrement(ref running);
            if (change.Status == CashoutStatus.Processing)
            {
                lastDone.SetResult();
            }
        });

        changes.Publish(new CashoutChanged(1, "m", CashoutStatus.OnHold));
        await firstStarted.Task.WaitAsync(Patience);
        changes.Publish(new CashoutChanged(1, "m", CashoutStatus.Pending));
        changes.Publish(new CashoutChanged(1, "m", CashoutStatus.Processing));
        finishFirst.SetResult();
        await lastDone.Task.WaitAsync(Patience);

        Assert.False(overlapped);
        Assert.Equal([CashoutStatus.OnHold, CashoutStatus.Processing], seen);
    }

    [Fact]
    public async Task A_refresh_that_throws_does_not_stop_the_next_change_from_refreshing()
    {
        var changes = new CashoutChanges(new ChangeFeed(crossesNodes: false));
        var refreshed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = new CashoutChangeSubscription(changes, _ => true, change => change.Status == CashoutStatus.OnHold
            ? Task.FromException(new InvalidOperationException("The page failed to render."))
            : Task.Run(refreshed.SetResult));

        changes.Publish(new CashoutChanged(1, "m", CashoutStatus.OnHold));
        changes.Publish(new CashoutChanged(1, "m", CashoutStatus.Pending));

        await refreshed.Task.WaitAsync(Patience);
    }

    [Fact]
    public void Changes_the_page_is_not_concerned_with_are_not_refreshed()
    {
        var changes = new CashoutChanges(new ChangeFeed(crossesNodes: false));
        var refreshes = 0;
        using var subscription = new CashoutChangeSubscription(changes, change => change.MerchantId == "mine", _ =>
        {
            Interlocked.Increment(ref refreshes);
            return Task.CompletedTask;
        });

        changes.Publish(new CashoutChanged(1, "someone else", CashoutStatus.Pending));

        Assert.Equal(0, refreshes);
    }
}
