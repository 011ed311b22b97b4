namespace Cashout.Portal.Email;

/// <summary>
/// The Sent marks of one connection's messages, one commit on its way at a time: a message accepted while none is
/// starts one at once; those accepted while one is on its way share the next, started as it ends. So the sender never
/// waits for the database unless <paramref name="maxUnmarked"/> accepted messages wait for their mark, and a failed
/// commit stops it at the next message: a sender that cannot record what it sent must not go on sending (ADR 042).
/// </summary>
/// <param name="commit">Marks the given messages Sent, durably.</param>
internal sealed class SentMarks(int maxUnmarked, Func<long[], Task> commit)
{
    private readonly List<long> unmarked = [];
    private Task committing = Task.CompletedTask;

    /// <summary>The server accepted this message. Returns at once, unless the marks waiting reached the bound.</summary>
    public async Task AcceptedAsync(long id)
    {
        unmarked.Add(id);
        if (!committing.IsCompleted && unmarked.Count < maxUnmarked)
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
