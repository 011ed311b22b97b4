using System.Text.Json;
using System.Text.Json.Nodes;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Webhooks;

/// <summary>
/// Queues an event for a merchant's webhook endpoint inside the caller's database transaction, so the event
/// exists exactly when the change it reports was committed. Nothing is queued for a merchant without an endpoint.
/// </summary>
public sealed class WebhookOutbox(TimeProvider time)
{
    public const string Environment = "test";

    public async Task<bool> EnqueueAsync(PortalDbContext db, string merchantId, string eventType, JsonObject data, CancellationToken cancellationToken)
    {
        if (!await db.Set<WebhookEndpoint>().AnyAsync(e => e.MerchantId == merchantId, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var payload = new JsonObject
        {
            ["type"] = eventType,
            ["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["environment"] = Environment,
            ["data"] = data,
        };
        db.Add(new WebhookDelivery(merchantId, eventType, payload.ToJsonString(new JsonSerializerOptions { WriteIndented = false }), now));
        return true;
    }
}
