using Cashout.Portal.Email;

namespace Cashout.Portal.UnitTests.Email;

/// <summary>
/// How the outbox marks accepted messages Sent (ADR 042): one commit on its way at a time, the messages accepted
/// meanwhile sharing the next, the sender held back only when the bound of unmarked messages is reached, and a
/// failed commit stopping the sender. Each commit here is a task the test completes.
/// </summary>
public sealed class SentMarksTests
{
    private readonly List<(long[] Ids, TaskCompletionSource Done)> commits = [];

    private SentMarks Marks(int maxUnmarked) => new(maxUnmarked, ids =>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        commits.Add((ids, done));
        return done.Task;
    });

    [Fact]
    public async Task The_first_accepted_message_starts_a_commit_and_those_accepted_meanwhile_share_the_next()
    {
        var marks = Marks(maxUnmarked: 4);

        await marks.AcceptedAsync(1);
        await marks.AcceptedAsync(2);
        await marks.AcceptedAsync(3);
        Assert.Equal([[1]], commits.Select(c => c.Ids));

        commits[0].Done.SetResult();
        await marks.AcceptedAsync(4);
        Assert.Equal([[1], [2, 3, 4]], commits.Select(c => c.Ids));

        var flushed = marks.FlushAsync();
        commits[1].Done.SetResult();
        await flushed;
        Assert.Equal(2, commits.Count);
    }

    [Fact]
    public async Task The_sender_waits_for_the_commit_on_its_way_once_the_bound_of_unmarked_messages_is_reached()
    {
        var marks = Marks(maxUnmarked: 3);
        await marks.AcceptedAsync(1);
        await marks.AcceptedAsync(2);
        await marks.AcceptedAsync(3);

        var fourth = marks.AcceptedAsync(4);
        Assert.False(fourth.IsCompleted); // 2, 3 and 4 accepted and unmarked: no fifth message until the commit ends

        commits[0].Done.SetResult();
        await fourth;
        Assert.Equal([[1], [2, 3, 4]], commits.Select(c => c.Ids));
    }

    [Fact]
    public async Task The_messages_still_unmarked_are_committed_by_the_flush_which_returns_once_they_are()
    {
        var marks = Marks(maxUnmarked: 8);
        await marks.AcceptedAsync(1);
        await marks.AcceptedAsync(2);

        var flushed = marks.FlushAsync();
        commits[0].Done.SetResult();
        await WaitUntilAsync(() => commits.Count == 2);
        Assert.Equal([2], commits[1].Ids);
        Assert.False(flushed.IsCompleted);

        commits[1].Done.SetResult();
        await flushed;
    }

    [Fact]
    public async Task A_failed_commit_stops_the_sender_at_its_next_wait_and_fails_the_flush()
    {
        var marks = Marks(maxUnmarked: 2);
        await marks.AcceptedAsync(1);
        commits[0].Done.SetException(new InvalidOperationException("disk full"));

        var next = await Assert.ThrowsAsync<InvalidOperationException>(() => marks.AcceptedAsync(2));
        Assert.Equal("disk full", next.Message);
        Assert.Single(commits); // nothing more was committed as if all were well
        await Assert.ThrowsAsync<InvalidOperationException>(marks.FlushAsync);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(1, limit.Token);
        }
    }
}
