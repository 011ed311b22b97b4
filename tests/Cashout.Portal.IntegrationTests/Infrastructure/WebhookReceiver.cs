using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>A merchant's webhook endpoint: a real HTTP server on a loopback port that records what it receives.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<(string Id, long Timestamp, string Signature, string Body)> Received { get; } = new();

    /// <summary>The status code every request gets.</summary>
    public int Answer { get; set; } = 204;

    public string HookUrl => app.Urls.First() + "/hook";

    public int Port => new Uri(app.Urls.First()).Port;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            receiver.Received.Enqueue((
                context.Request.Headers["webhook-id"].ToString(),
                long.Parse(context.Request.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                context.Request.Headers["webhook-signature"].ToString(),
                await reader.ReadToEndAsync()));
            return Results.StatusCode(receiver.Answer);
        });
        await receiver.app.StartAsync();
        return receiver;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
