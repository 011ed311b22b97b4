using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>
/// With production's setting (no private networks), merchant webhook URLs cannot make the portal call its own
/// machine or private network: refused when saved, and refused again when the socket connects.
/// </summary>
public sealed class WebhookNetworkGuardTests : ApiTest, IAsyncDisposable
{
    private WebhookReceiver? receiver;

    public WebhookNetworkGuardTests() => Portal.WithSetting("Webhooks:AllowPrivateNetworks", "false");

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("https://10.0.0.7/hook")]
    [InlineData("https://[::1]/hook")]
    public async Task Saving_an_endpoint_on_this_machine_or_a_private_network_is_refused_and_writes_nothing(string url)
    {
        var outcome = await Use<ConfigureWebhookEndpoint, WebhookEndpointOutcome>(c => c.SetUrlAsync(Merchant, MerchantId, url));

        AssertRefused(outcome.Result, "invalid_url");
        Assert.Equal("The endpoint must be on the public internet: loopback, private and link-local addresses are refused.", outcome.Result.Message);
        Assert.Equal(0, await Portal.WithDbAsync(db => db.Set<WebhookEndpoint>().CountAsync()));
    }

    [Fact]
    public async Task A_delivery_to_a_host_that_now_resolves_to_loopback_is_refused_at_connect_and_the_receiver_gets_nothing()
    {
        // As if the merchant's host had resolved to a public address when saved and to loopback now (DNS rebinding).
        receiver = await WebhookReceiver.StartAsync();
        await Portal.WithScopeAsync(async services =>
        {
            var configure = services.GetRequiredService<ConfigureWebhookEndpoint>();
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            db.Add(new WebhookEndpoint(MerchantId, $"http://localhost:{receiver.Port}/hook", configure.Protector.Protect(StandardWebhooks.NewSecret()), Portal.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        });
        AssertSucceeded(await Use<ConfigureWebhookEndpoint, CommandResult>(c => c.SendTestEventAsync(Merchant, MerchantId)));

        Assert.Equal(0, await Use<WebhookDeliveryJob, int>(job => job.DeliverDueAsync(CancellationToken.None)));

        Assert.Empty(receiver.Received);
        var delivery = await Portal.WithDbAsync(db => db.WebhookDeliveries.SingleAsync());
        Assert.Equal((WebhookDeliveryStatus.Pending, 1), (delivery.Status, delivery.Attempts));
        Assert.Contains("localhost is not on the public internet", delivery.LastError);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        if (receiver is not null)
        {
            await receiver.DisposeAsync();
        }
    }
}
