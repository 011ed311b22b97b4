namespace Cashout.Portal.Merchants;

/// <summary>
/// In-process news that a merchant's verification changed (submitted, approved, rejected), published after the
/// commit, so the merchant's open pages (the banner) and the admins' queue refresh without a reload.
/// </summary>
public sealed class VerificationChanges
{
    public event Action<string>? Changed;

    public void Publish(string merchantId) => Changed?.Invoke(merchantId);
}
