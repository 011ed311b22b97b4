namespace Cashout.Portal.Email;

/// <summary>
/// The Sent marks of one connection's messages, several to a commit and one commit on its way at a time: once
/// <paramref name="perCommit"/> accepted messages wait for their mark, a commit of them starts unless one is on its way;
/// the sender goes on meanwhile, and waits for that commit only when <paramref name="maxUnmarked"/> are unmarked. A
/// failed commit stops the sender at its next wait: a sender that cannot record what it sent must not go on sending
/// (ADR 042). The write turn is the pipeline's one serial resource, so each commit's fixed cost is shared.
/// </summary>
/// <param name="commit">Marks the given messages Sent, durably.</param>
internal sealed class SentMarks(int perCommit, int maxUnmarked, Func<long[], Task> commit)
{
    private readonly List<long> unmarked = [];
    private Task committing = Task.CompletedTask;

    /// <summary>The server accepted this message. Returns at once, unless the marks waiting reached the bound.</summary>
    public async Task AcceptedAsync(long id)
    {
        unmarked.Add(id);
        if (unmarked.Count < perCommit || (!committing.IsCompleted && unmarked.Count < maxUnmarked))
        {
            return;
        }

        await committing;
        CommitUnmarked();
    }

    /// <summary>Every accepted message marked: the end of the connection's share.</summary>
    public async Task FlushAsync()
    {
        await committing;
        if (unmarked.Count > 0)
        {
            CommitUnmarked();
            await committing;
        }
    }

    private void CommitUnmarked()
    {
        committing = commit([.. unmarked]);
        unmarked.Clear();
    }
}
