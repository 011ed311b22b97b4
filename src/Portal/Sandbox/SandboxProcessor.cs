using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Providers;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Sandbox;

/// <summary>
/// The sandbox provider's own clock-work: moves payouts along and delivers their signed webhooks to the portal,
/// retrying until the portal answers 2xx. Everything it owes is in its database, so a restart resumes it.
/// </summary>
internal sealed class SandboxProcessor(
    SandboxLedger ledger,
    IHttpClientFactory httpFactory,
    IOptions<SandboxOptions> options,
    IOptions<ProvidersOptions> providers,
    PortalAddress portal,
    TimeProvider time,
    ILogger<SandboxProcessor> logger) : BackgroundService
{
    public const string HttpClientName = "sandbox-webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TickMilliseconds));
        do
        {
            try
            {
                await ledger.AdvanceAsync(stoppingToken);
                await DeliverAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The provider sandbox failed a tick; trying again at the next");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        var parallelism = options.Value.WebhookParallelism;
        var webhooks = await ledger.DueWebhooksAsync(parallelism * 25, stoppingToken);
        if (webhooks.Count == 0)
        {
            return;
        }

        var portalRoot = options.Value.PortalBaseUrl.Length > 0 ? new Uri(options.Value.PortalBaseUrl) : await portal.GetAsync(stoppingToken);
        var http = httpFactory.CreateClient(HttpClientName);
        // Recorded together after the batch, as a provider would: one delivered but not yet recorded when the process
        // dies goes again after the restart, and the portal acknowledges its webhook id as a replay.
        var outcomes = new ConcurrentBag<(long, string?)>();
        await Parallel.ForEachAsync(webhooks, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stoppingToken }, async (webhook, ct) =>
        {
            string? error;
            try
            {
                using var response = await http.SendAsync(Sign(webhook, portalRoot), ct);
                error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                error = ex.Message;
            }

            outcomes.Add((webhook.Id, error));
        });
        await ledger.RecordDeliveriesAsync(outcomes, stoppingToken);
    }

    private HttpRequestMessage Sign(SandboxWebhook webhook, Uri portalRoot)
    {
        PayoutMethodNames.TryParseApiName(webhook.Provider, out var method);
        StandardWebhooks.TryDecodeSecret(providers.Value.For(method).WebhookSecret, out var key);
        var body = Encoding.UTF8.GetBytes(webhook.Body);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(portalRoot, $"webhooks/providers/{webhook.Provider}"))
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
        };
        request.Headers.Add(StandardWebhooks.IdHeader, webhook.WebhookId);
        request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(key, webhook.WebhookId, timestamp, body));
        return request;
    }
}
