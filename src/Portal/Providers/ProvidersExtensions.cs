using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Providers;

public static class ProvidersExtensions
{
    /// <summary>The payout providers' adapters (typed HttpClients), the pipeline's use cases and their settings.</summary>
    public static void AddPayoutProviders(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ProvidersOptions>()
            .BindConfiguration(ProvidersOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProvidersOptions>, ProvidersOptionsValidator>();
        services.AddOptions<PayoutOptions>()
            .BindConfiguration(PayoutOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.SubmitRetryBaseSeconds <= o.SubmitRetryMaxSeconds, "Payouts:SubmitRetryBaseSeconds must not exceed Payouts:SubmitRetryMaxSeconds.")
            .ValidateOnStart();

        services.AddHttpClient<PayoneerAdapter>((sp, client) => HttpPayoutProvider.Configure(client, sp.GetRequiredService<IOptions<ProvidersOptions>>().Value.Payoneer))
            .AddProviderResilience(PayoutMethod.Payoneer);
        services.AddHttpClient<TipaltiAdapter>((sp, client) => HttpPayoutProvider.Configure(client, sp.GetRequiredService<IOptions<ProvidersOptions>>().Value.Tipalti))
            .AddProviderResilience(PayoutMethod.Tipalti);
        services.AddHttpClient<BankAdapter>((sp, client) => HttpPayoutProvider.Configure(client, sp.GetRequiredService<IOptions<ProvidersOptions>>().Value.Bank))
            .AddProviderResilience(PayoutMethod.Bank);
        services.AddTransient<IPayoutProvider>(sp => sp.GetRequiredService<PayoneerAdapter>());
        services.AddTransient<IPayoutProvider>(sp => sp.GetRequiredService<TipaltiAdapter>());
        services.AddTransient<IPayoutProvider>(sp => sp.GetRequiredService<BankAdapter>());
        services.AddScoped<PayoutProviders>();

        services.AddScoped<ApplyProviderReport>();
        services.AddScoped<SubmitDueCashouts>();
        services.AddScoped<TrackPayouts>();
    }

    /// <summary>POST /webhooks/providers/{provider}: signed reports from the providers (no user, no antiforgery).</summary>
    public static void MapProviderWebhooks(this WebApplication app) =>
        app.MapPost("/webhooks/providers/{provider}", ReceiveProviderWebhook.HandleAsync)
            .AddEndpointFilter(ApiEndpoint.AnswerBusyDatabase(MachineErrors.Problem))
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("ProviderWebhook");
}
