using Cashout.Portal.Api.BalancePlatform;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Api.LimePay;
using Cashout.Portal.Api.Marketplace;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;
using Cashout.Portal.Jobs;
using Cashout.Portal.Webhooks;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Api;

public static class ApiExtensions
{
    /// <summary>The machine APIs (three families), API credentials, idempotency, and outbound webhooks.</summary>
    public static void AddCashoutApis(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<ApiAuthenticator>();
        services.AddSingleton<Idempotency>();
        services.AddSingleton<WebhookOutbox>();
        services.AddScoped<CashoutWebhooks>();
        services.AddScoped<ConfigureWebhookEndpoint>();
        services.AddScoped<IssueApiCredentials>();
        services.AddScoped<GetApiSettings>();
        services.AddScoped<GetCashout>();
        services.AddScoped<CashoutToBalance>();
        services.AddScoped<WebhookDeliveryJob>();

        services.AddHttpClient(WebhookDeliveryJob.HttpClientName, (sp, client) =>
        {
            client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.RequestTimeoutSeconds);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("CashoutPortal-Webhooks/1.0");
        }).ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks ? null : PublicNetworkGuard.ConnectToPublicAddressAsync,
        });
        services.AddSingleton(RecurringSweep.For<WebhookDeliveryJob>(
            RecurringSweeps.WebhookDelivery, job => job.RunAsync(CancellationToken.None), o => o.WebhookDelivery,
            "Delivers signed webhook events to merchants' endpoints, retrying on the published schedule"));
    }

    /// <summary>Maps families A, B and C and the OpenAPI document. Credentials only: no cookie, no antiforgery.</summary>
    public static void MapCashoutApis(this WebApplication app)
    {
        var api = app.MapGroup("").AllowAnonymous().DisableAntiforgery();
        api.MapMarketplaceApi();
        api.MapBalancePlatformApi();
        api.MapLimePayApi();
        api.MapGet("/openapi/cashout-apis.json", () => Results.Stream(OpenApiDocument.Open(), "application/json")).ExcludeFromDescription();
    }
}

/// <summary>The hand-written OpenAPI 3.1 document of the three families (Api/openapi.json, embedded).</summary>
public static class OpenApiDocument
{
    public static Stream Open() =>
        typeof(OpenApiDocument).Assembly.GetManifestResourceStream("Cashout.Portal.Api.openapi.json")
        ?? throw new InvalidOperationException("The OpenAPI document is not embedded.");
}
