using System.Text.Json.Nodes;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>Outbound webhooks: queued with the change, signed (Standard Webhooks), delivered over real HTTP, retried.</summary>
public sealed class WebhookDeliveryTests : ApiTest, IAsyncDisposable
{
    private WebhookReceiver? receiver;

    [Fact]
    public async Task A_cashout_requested_through_the_api_is_delivered_signed_as_transfer_created_and_transaction_created()
    {
        var secret = await StartReceiverAndConfigureAsync();
        await LinkPayoneerAsync();
        await ExpectAsync(await ProcessAsync(10_000), 200);
        Assert.Equal(2, await Portal.WithDbAsync(db => db.WebhookDeliveries.CountAsync()));

        Assert.Equal(2, await Use<WebhookDeliveryJob, int>(job => job.DeliverDueAsync(CancellationToken.None)));

        var events = receiver!.Received.ToList();
        Assert.Equal([CashoutWebhooks.TransactionCreated, CashoutWebhooks.TransferCreated], events.Select(e => JsonNode.Parse(e.Body)!["type"]!.GetValue<string>()).Order());
        Assert.True(StandardWebhooks.TryDecodeSecret(secret, out var key));
        Assert.All(events, e => Assert.Equal(
            WebhookVerdict.Valid,
            StandardWebhooks.Verify(key, e.Id, e.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Signature, System.Text.Encoding.UTF8.GetBytes(e.Body), DateTimeOffset.FromUnixTimeSeconds(e.Timestamp))));
        Assert.All(await Portal.WithDbAsync(db => db.WebhookDeliveries.Include(d => d.AttemptLog).ToListAsync()), d =>
        {
            Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status);
            Assert.Equal(204, Assert.Single(d.AttemptLog).ResponseCode);
        });
    }

    [Fact]
    public async Task Runs_side_by_side_post_each_delivery_once_because_each_claims_its_deliveries_first()
    {
        // Two nodes' delivery sweeps, or a run that outlived its job lock beside the next one.
        await StartReceiverAndConfigureAsync();
        await LinkPayoneerAsync();
        await ExpectAsync(await ProcessAsync(10_000), 200);
        var queued = await Portal.WithDbAsync(db => db.WebhookDeliveries.CountAsync());

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Use<WebhookDeliveryJob, int>(job => job.DeliverDueAsync(CancellationToken.None)))));

        Assert.Equal(queued, runs.Sum());
        Assert.Equal(queued, receiver!.Received.Count);
        Assert.Equal(queued, receiver.Received.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_on_the_schedule_and_each_attempt_is_recorded()
    {
        await StartReceiverAndConfigureAsync();
        receiver!.Answer = 500;
        AssertSucceeded(await Use<ConfigureWebhookEndpoint, CommandResult>(c => c.SendTestEventAsync(Merchant, MerchantId)));

        await Use<WebhookDeliveryJob, int>(job => job.DeliverDueAsync(CancellationToken.None));
        var afterFirst = await Portal.WithDbAsync(db => db.WebhookDeliveries.SingleAsync());
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, 500), (afterFirst.Status, afterFirst.Attempts, afterFirst.LastResponseCode));
        Assert.Equal(Portal.Clock.GetUtcNow().AddSeconds(5).ToUnixTimeMilliseconds(), afterFirst.NextAttemptAt.ToUnixTimeMilliseconds());

        // Not due yet: nothing is sent.
        await Use<WebhookDeliveryJob, int>(job => job.DeliverDueAsync(CancellationToken.None));
        Assert.Single(receiver!.Received);

        receiver!.Answer = 200;
        Portal.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await Use<WebhookDeliveryJob, int>(job => job.DeliverDueAsync(CancellationToken.None)));
        var delivered = await Portal.WithDbAsync(db => db.WebhookDeliveries.Include(d => d.AttemptLog).SingleAsync());
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
        Assert.Equal([500, 200], delivered.AttemptLog.OrderBy(a => a.Number).Select(a => a.ResponseCode ?? 0));
        Assert.Equal(2, receiver!.Received.Count);
        Assert.Single(receiver!.Received.Select(r => r.Id).Distinct());
    }

    [Fact]
    public void The_schedule_is_immediately_then_5s_5min_30min_2h_5h_10h_10h()
    {
        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)],
            WebhookDelivery.RetrySchedule);
        var delivery = new WebhookDelivery("m", "t", "{}", DateTimeOffset.UnixEpoch);
        for (var i = 0; i < WebhookDelivery.MaxAttempts; i++)
        {
            delivery.RecordFailure(503, "down", DateTimeOffset.UnixEpoch, 1);
        }

        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
    }

    [Fact]
    public async Task Nothing_is_queued_for_a_merchant_without_an_endpoint_and_a_bad_url_is_refused()
    {
        await LinkPayoneerAsync();
        await ExpectAsync(await ProcessAsync(10_000), 200);
        Assert.Equal(0, await Portal.WithDbAsync(db => db.WebhookDeliveries.CountAsync()));

        var refused = await Use<ConfigureWebhookEndpoint, WebhookEndpointOutcome>(c => c.SetUrlAsync(Merchant, MerchantId, "ftp://example.com/hook"));
        Assert.Equal("invalid_url", refused.Result.Code);
    }

    private async Task<string> StartReceiverAndConfigureAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        var outcome = await Use<ConfigureWebhookEndpoint, WebhookEndpointOutcome>(c => c.SetUrlAsync(Merchant, MerchantId, receiver.HookUrl));
        AssertSucceeded(outcome.Result);
        return outcome.SigningSecret!;
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        if (receiver is not null)
        {
            await receiver.DisposeAsync();
        }
    }
}
