using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Api.Credentials;

public sealed record WebhookDeliveryRow(string Id, string EventType, WebhookDeliveryStatus Status, int Attempts, int? LastResponseCode, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt);

/// <summary>What /settings/api shows: never a secret, only that they exist and when they changed.</summary>
public sealed record ApiSettingsView(
    string? Login,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? RotatedAt,
    string? BalanceAccountId,
    string? WebhookUrl,
    DateTimeOffset? WebhookUpdatedAt,
    IReadOnlyList<WebhookDeliveryRow> Deliveries);

public sealed class GetApiSettings(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int DeliveriesShown = 50;

    public async Task<ApiSettingsView?> HandleAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == merchantId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credential = await db.ApiCredentials.AsNoTracking().SingleOrDefaultAsync(c => c.MerchantId == merchantId, cancellationToken);
        var endpoint = await db.Set<WebhookEndpoint>().AsNoTracking().SingleOrDefaultAsync(e => e.MerchantId == merchantId, cancellationToken);
        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.MerchantId == merchantId)
            .OrderByDescending(d => d.CreatedAt)
            .Take(DeliveriesShown)
            .Select(d => new WebhookDeliveryRow(d.Id, d.EventType, d.Status, d.Attempts, d.LastResponseCode, d.LastError, d.CreatedAt,
                d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt))
            .ToListAsync(cancellationToken);
        return new ApiSettingsView(
            credential?.Login,
            credential?.CreatedAt,
            credential?.RotatedAt,
            await BalanceAccounts.FindAsync(db, merchantId, cancellationToken),
            endpoint?.Url,
            endpoint?.UpdatedAt,
            deliveries);
    }
}
