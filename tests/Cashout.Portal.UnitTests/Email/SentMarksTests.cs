using Cashout.Portal.Email;

namespace Cashout.Portal.UnitTests.Email;

/// <summary>
/// How the outbox marks accepted messages Sent (ADR 042): several to a commit, one commit on its way at a time while
/// the sender goes on, the sender held back only at the bound of unmarked messages, the rest committed by the flush,
/// and a failed commit stopping the sender. Each commit here is a task the test completes.
/// </summary>
public sealed class SentMarksTests
{
    private readonly List<(long[] Ids, TaskCompletionSource Done)> commits = [];

    private SentMarks Marks(int perCommit, int maxUnmarked) => new(perCommit, maxUnmarked, ids =>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        commits.Add((ids, done));
        return done.Task;
    });

    [Fact]
    public async Task Marks_go_in_one_commit_once_enough_are_accepted_and_the_sender_goes_on_while_it_is_on_its_way()
    {
        var marks = Marks(perCommit: 3, maxUnmarked: 6);

        await marks.AcceptedAsync(1);
        await marks.AcceptedAsync(2);
        Assert.Empty(commits);
        await marks.AcceptedAsync(3);
        Assert.Equal([[1, 2, 3]], commits.Select(c => c.Ids));

        // The commit is on its way: 4 to 8 are accepted without waiting for it, and without a second commit.
        for (var id = 4; id <= 8; id++)
        {
            await marks.AcceptedAsync(id);
        }

        Assert.Single(commits);
        commits[0].Done.SetResult();
        await marks.AcceptedAsync(9);
        Assert.Equal([[1, 2, 3], [4, 5, 6, 7, 8, 9]], commits.Select(c => c.Ids));
    }

    [Fact]
    public async Task The_sender_waits_for_the_commit_on_its_way_once_the_bound_of_unmarked_messages_is_reached()
    {
        var marks = Marks(perCommit: 1, maxUnmarked: 3);
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
        var marks = Marks(perCommit: 2, maxUnmarked: 8);
        await marks.AcceptedAsync(1);
        await marks.AcceptedAsync(2);
        await marks.AcceptedAsync(3);

        var flushed = marks.FlushAsync();
        commits[0].Done.SetResult();
        await WaitUntilAsync(() => commits.Count == 2);
        Assert.Equal([3], commits[1].Ids);
        Assert.False(flushed.IsCompleted);

        commits[1].Done.SetResult();
        await flushed;
        Assert.Equal(2, commits.Count);
    }

    [Fact]
    public async Task A_failed_commit_stops_the_sender_at_its_next_wait_and_fails_the_flush()
    {
        var marks = Marks(perCommit: 1, maxUnmarked: 2);
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
