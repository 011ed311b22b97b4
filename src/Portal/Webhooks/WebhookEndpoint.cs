namespace Cashout.Portal.Webhooks;

/// <summary>Where a merchant receives event notifications, and the secret they are signed with (encrypted at rest).</summary>
public sealed class WebhookEndpoint
{
    private WebhookEndpoint()
    {
    }

    public WebhookEndpoint(string merchantId, string url, string protectedSecret, DateTimeOffset now)
    {
        MerchantId = merchantId;
        Url = url;
        ProtectedSigningSecret = protectedSecret;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public string MerchantId { get; private set; } = "";

    public string Url { get; private set; } = "";

    /// <summary>The signing secret, encrypted with ASP.NET Core Data Protection: it must be recoverable to sign.</summary>
    public string ProtectedSigningSecret { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void ChangeUrl(string url, DateTimeOffset now)
    {
        Url = url;
        UpdatedAt = now;
    }

    public void RotateSecret(string protectedSecret, DateTimeOffset now)
    {
        ProtectedSigningSecret = protectedSecret;
        UpdatedAt = now;
    }
}
