using Cashout.Portal.Data;

namespace Cashout.Portal.Merchants;

/// <summary>
/// News that a merchant's verification changed (submitted, approved, rejected), published after the commit, so the
/// merchant's open pages (the banner) and the admins' queue refresh without a reload, on every node
/// (<see cref="ChangeFeed"/>).
/// </summary>
public sealed class VerificationChanges
{
    private const string Kind = "verification";

    private readonly ChangeFeed feed;

    public VerificationChanges(ChangeFeed feed)
    {
        this.feed = feed;
        feed.Received += (kind, merchantId) =>
        {
            if (kind == Kind)
            {
                Changed?.Invoke(merchantId);
            }
        };
    }

    public event Action<string>? Changed;

    public void Publish(string merchantId)
    {
        Changed?.Invoke(merchantId);
        feed.Send(Kind, merchantId);
    }
}
