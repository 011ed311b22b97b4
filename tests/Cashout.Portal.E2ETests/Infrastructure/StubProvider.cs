using System.Collections.Concurrent;
using System.Net;
using Cashout.Portal.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// A payout provider that speaks the portal's provider contract (<see cref="PayoutSubmission"/> and friends) over real
/// HTTP on a loopback port: it knows every payee, offers regular routes, accepts payouts (remembering the
/// idempotency key and the bearer key they came with) and reports them processing. What a Production smoke test
/// points the portal at, where the in-app sandbox does not exist.
/// </summary>
public sealed class StubProvider : IAsyncDisposable
{
    public const string ApiKey = "stub-provider-key";

    private readonly WebApplication app;

    private StubProvider(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Every accepted payout by idempotency key, with the Authorization header it carried.</summary>
    public ConcurrentDictionary<string, (PayoutSubmission Submission, string Authorization)> Payouts { get; } = new();

    public static async Task<StubProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StubProvider? stub = null;
        var provider = app.MapGroup("/{provider}");
        provider.MapPost("/accounts/verify", (AccountCheck check) => Results.Ok(new AccountCheckResult(true, null)));
        provider.MapPost("/routes", (RouteCheck check) => Results.Ok(new RouteCheckResult(["regular"])));
        provider.MapPost("/payouts", (PayoutSubmission submission, HttpRequest request) =>
        {
            var key = request.Headers["Idempotency-Key"].ToString();
            stub!.Payouts.TryAdd(key, (submission, request.Headers.Authorization.ToString()));
            return Results.Json(new PayoutResource("stub-" + key, submission.Reference, PayoutStatuses.Processing), statusCode: StatusCodes.Status201Created);
        });
        provider.MapGet("/payouts/{key}", (string key) => stub!.Payouts.TryGetValue(key, out var payout)
            ? Results.Ok(new PayoutResource("stub-" + key, payout.Submission.Reference, PayoutStatuses.Processing))
            : Results.NotFound());
        await app.StartAsync();
        stub = new StubProvider(app, new Uri(app.Urls.Single().TrimEnd('/') + "/"));
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
