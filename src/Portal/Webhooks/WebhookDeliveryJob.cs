using System.Diagnostics;
using System.Text;
using Cashout.Portal.Api;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.DataProtection;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Webhooks;

/// <summary>
/// Delivers due webhook events to merchants' endpoints, signed with Standard Webhooks headers. At least once:
/// a delivery is marked delivered only after a 2xx answer; anything else is retried on the published schedule.
/// Also sweeps expired idempotency records.
/// </summary>
public sealed class WebhookDeliveryJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHttpClientFactory httpClients,
    IDataProtectionProvider protection,
    Idempotency idempotency,
    TimeProvider time,
    ILogger<WebhookDeliveryJob> logger)
{
    public const string HttpClientName = "webhooks";
    private const int BatchSize = 50;

    /// <summary>How long a run owns the deliveries it claimed (as the email outbox does, SendDueEmails.ClaimLease).</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(1);

    /// <summary>The sweep Hangfire runs (never two at once).</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var delivered = await DeliverDueAsync(cancellationToken);
        await idempotency.PurgeExpiredAsync(cancellationToken);
        return $"{delivered} delivered";
    }

    /// <summary>
    /// Claims up to a batch of due deliveries for this run in one statement (their next attempt moves a lease ahead), so
    /// a run beside it (another node's, or one that outlived its job lock) does not post them again.
    /// </summary>
    private async Task<List<string>> ClaimDueAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var leaseEnd = (time.GetUtcNow() + ClaimLease).ToUnixTimeMilliseconds();
        var pending = WebhookDeliveryStatus.Pending.ToString();
        var claimed = db.Database.IsSqlite()
            ? db.Database.SqlQuery<string>($"""
                UPDATE "WebhookDeliveries" SET "NextAttemptAt" = {leaseEnd}
                WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} AND "Id" IN (
                    SELECT "Id" FROM "WebhookDeliveries" WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} ORDER BY "NextAttemptAt" LIMIT {BatchSize})
                RETURNING "Id" AS "Value"
                """)
            : db.Database.SqlQuery<string>($"""
                WITH due AS MATERIALIZED (
                    SELECT "Id" FROM "WebhookDeliveries" WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} ORDER BY "NextAttemptAt" LIMIT {BatchSize}
                    FOR UPDATE SKIP LOCKED)
                UPDATE "WebhookDeliveries" AS d SET "NextAttemptAt" = {leaseEnd} FROM due WHERE d."Id" = due."Id"
                RETURNING d."Id" AS "Value"
                """);
        return await db.WriteAsync(() => claimed.ToListAsync(cancellationToken), cancellationToken);
    }

    /// <returns>How many deliveries succeeded.</returns>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await ClaimDueAsync(db, cancellationToken);
        var due = await db.Set<WebhookDelivery>()
            .Where(d => claimed.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Pending)
            .OrderBy(d => d.NextAttemptAt)
            .ToListAsync(cancellationToken);
        var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking()
            .Where(e => due.Select(d => d.MerchantId).Contains(e.MerchantId))
            .ToDictionaryAsync(e => e.MerchantId, cancellationToken);
        var protector = protection.CreateProtector(ConfigureWebhookEndpoint.SecretPurpose);
        var client = httpClients.CreateClient(HttpClientName);

        var delivered = 0;
        foreach (var delivery in due)
        {
            if (!endpoints.TryGetValue(delivery.MerchantId, out var endpoint))
            {
                delivery.RecordFailure(null, "No webhook endpoint is configured any more.", time.GetUtcNow(), 0);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(StandardWebhooks.IdHeader, delivery.Id);
            request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(protector.Unprotect(endpoint.ProtectedSigningSecret), delivery.Id, timestamp, delivery.Payload));

            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                var code = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    delivery.RecordSuccess(code, time.GetUtcNow(), watch.ElapsedMilliseconds);
                    delivered++;
                }
                else
                {
                    delivery.RecordFailure(code, $"The endpoint answered {code} {response.ReasonPhrase}.", time.GetUtcNow(), watch.ElapsedMilliseconds);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var error = ex is TaskCanceledException ? "The endpoint did not answer in time." : $"Could not reach the endpoint: {ex.Message}";
                delivery.RecordFailure(null, error, time.GetUtcNow(), watch.ElapsedMilliseconds);
            }

            if (delivery.Status != WebhookDeliveryStatus.Delivered)
            {
                // The URL is the merchant's own; the payload and secret are never logged.
                logger.LogWarning("Webhook {DeliveryId} ({EventType}) attempt {Attempt} failed: {Error}", delivery.Id, delivery.EventType, delivery.Attempts, delivery.LastError);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return delivered;
    }
}
