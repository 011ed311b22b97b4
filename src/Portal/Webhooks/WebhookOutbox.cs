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

    /// <summary>Queues the event if the merchant has an endpoint; whether it did.</summary>
    public async Task<bool> EnqueueAsync(PortalDbContext db, string merchantId, string eventType, JsonObject data, CancellationToken cancellationToken)
    {
        if (!await HasEndpointAsync(db, merchantId, cancellationToken))
        {
            return false;
        }

        Enqueue(db, merchantId, eventType, data);
        return true;
    }

    /// <summary>Asked by every cashout transition, inside the write lock: a compiled query (docs/performance.md).</summary>
    public static Task<bool> HasEndpointAsync(PortalDbContext db, string merchantId, CancellationToken cancellationToken) =>
        AnyEndpoint(db, merchantId, cancellationToken);

    private static readonly Func<PortalDbContext, string, CancellationToken, Task<bool>> AnyEndpoint =
        EF.CompileAsyncQuery((PortalDbContext db, string merchantId, CancellationToken _) => db.Set<WebhookEndpoint>().Any(e => e.MerchantId == merchantId));

    /// <summary>Queues the event for a merchant known to have an endpoint (<see cref="HasEndpointAsync"/>).</summary>
    public void Enqueue(PortalDbContext db, string merchantId, string eventType, JsonObject data)
    {
        var now = time.GetUtcNow();
        var payload = new JsonObject
        {
            ["type"] = eventType,
            ["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["environment"] = Environment,
            ["data"] = data,
        };
        db.Add(new WebhookDelivery(merchantId, eventType, payload.ToJsonString(new JsonSerializerOptions { WriteIndented = false }), now));
    }
}
