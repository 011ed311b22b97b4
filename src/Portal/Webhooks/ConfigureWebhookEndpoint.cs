using System.Text.Json.Nodes;
using Cashout.Portal.Api;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Webhooks;

/// <param name="SigningSecret">Set when a secret was created or rotated: shown once, never again.</param>
public sealed record WebhookEndpointOutcome(CommandResult Result, string? SigningSecret = null);

/// <summary>
/// Sets the merchant's webhook endpoint URL (a new endpoint gets its own signing secret), rotates the secret,
/// removes the endpoint, or queues a test event. URLs must be absolute https (http only where allowed by settings).
/// </summary>
public sealed class ConfigureWebhookEndpoint(
    IDbContextFactory<PortalDbContext> dbFactory,
    IDataProtectionProvider protection,
    WebhookOutbox outbox,
    IOptions<WebhookOptions> options,
    TimeProvider time)
{
    public const string SecretPurpose = "Cashout.Webhooks.SigningSecret.v1";
    public const string TestEventType = "webhook.test";

    public async Task<WebhookEndpointOutcome> SetUrlAsync(Caller caller, string merchantId, string? url, CancellationToken cancellationToken = default)
    {
        if (!IsOwner(caller, merchantId))
        {
            return new(CommandResult.Forbidden);
        }

        var problem = Validate(url, out var cleaned);
        if (problem is not null)
        {
            return new(CommandResult.Refused("invalid_url", problem));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var endpoint = await db.Set<WebhookEndpoint>().SingleOrDefaultAsync(e => e.MerchantId == merchantId, cancellationToken);
        string? secret = null;
        if (endpoint is null)
        {
            secret = StandardWebhooks.NewSecret();
            db.Add(new WebhookEndpoint(merchantId, cleaned, Protector.Protect(secret), now));
        }
        else
        {
            endpoint.ChangeUrl(cleaned, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return new(CommandResult.Ok, secret);
    }

    public async Task<WebhookEndpointOutcome> RotateSecretAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!IsOwner(caller, merchantId))
        {
            return new(CommandResult.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var endpoint = await db.Set<WebhookEndpoint>().SingleOrDefaultAsync(e => e.MerchantId == merchantId, cancellationToken);
        if (endpoint is null)
        {
            return new(CommandResult.Refused("no_endpoint", "Set a webhook endpoint URL first."));
        }

        var secret = StandardWebhooks.NewSecret();
        endpoint.RotateSecret(Protector.Protect(secret), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return new(CommandResult.Ok, secret);
    }

    public async Task<CommandResult> SendTestEventAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!IsOwner(caller, merchantId))
        {
            return CommandResult.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var data = new JsonObject { ["message"] = "This is a test event from the Cashout Portal." };
        if (!await outbox.EnqueueAsync(db, merchantId, TestEventType, data, cancellationToken))
        {
            return CommandResult.Refused("no_endpoint", "Set a webhook endpoint URL first.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return CommandResult.Ok;
    }

    public IDataProtector Protector => protection.CreateProtector(SecretPurpose);

    private static bool IsOwner(Caller caller, string merchantId) => caller.IsMerchant && caller.Id == merchantId;

    private string? Validate(string? url, out string cleaned)
    {
        cleaned = url?.Trim() ?? "";
        if (cleaned.Length == 0)
        {
            return "Enter the URL of your webhook endpoint.";
        }

        if (cleaned.Length > 500)
        {
            return "The URL must be at most 500 characters.";
        }

        if (!Uri.TryCreate(cleaned, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return "Enter an absolute URL starting with https://.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !options.Value.AllowHttpEndpoints)
        {
            return "The endpoint must use https://.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not contain a user name or password.";
        }

        if (!options.Value.AllowPrivateNetworks && PublicNetworkGuard.NamesNonPublicHost(uri))
        {
            return "The endpoint must be on the public internet: loopback, private and link-local addresses are refused.";
        }

        return null;
    }
}
