using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Cashout.Portal.Providers;

/// <summary>
/// The HTTP side every adapter shares: a typed HttpClient whose resilience handler (<see cref="ProviderResilience"/>)
/// times out, retries transient failures with backoff and jitter, and breaks the circuit to a failing provider. A
/// 4xx answer is the provider's final word and is never retried. Every attempt of a submission carries the same
/// idempotency key, so a retry after a lost answer never pays twice.
/// </summary>
public abstract class HttpPayoutProvider(HttpClient http, ProviderEndpointOptions options, PortalAddress portal, ILogger logger) : IPayoutProvider
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public abstract PayoutMethod Method { get; }

    /// <summary>Whether the provider can pay out instantly at all (the route check decides per payee).</summary>
    protected virtual bool OffersInstantRoutes => false;

    public async Task<ProviderCall<PayoutResource>> SubmitAsync(PayoutInstruction instruction, CancellationToken cancellationToken)
    {
        var body = new PayoutSubmission(
            instruction.Reference,
            instruction.Amount.MinorUnits,
            instruction.Fee.MinorUnits,
            instruction.NetAmount.MinorUnits,
            instruction.Amount.Currency.Code,
            instruction.Payee,
            instruction.Instant && OffersInstantRoutes ? "instant" : "regular");
        using var request = new HttpRequestMessage(HttpMethod.Post, await EndpointAsync("payouts", cancellationToken))
        {
            Content = JsonContent.Create(body, options: PortalJson.Options),
        };
        // The resilience handler sends this very request again on a retry: the key goes with every attempt.
        request.Headers.Add(IdempotencyKeyHeader, instruction.IdempotencyKey);
        return await SendAsync<PayoutResource>("submit", request, cancellationToken);
    }

    public async Task<ProviderCall<PayoutResource>> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await EndpointAsync("payouts/" + Uri.EscapeDataString(idempotencyKey), cancellationToken));
        return await SendAsync<PayoutResource>("status", request, cancellationToken);
    }

    public async Task<ProviderCall<AccountCheckResult>> VerifyAccountAsync(string payee, Currency currency, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, await EndpointAsync("accounts/verify", cancellationToken))
        {
            Content = JsonContent.Create(new AccountCheck(payee, currency.Code), options: PortalJson.Options),
        };
        return await SendAsync<AccountCheckResult>("verify", request, cancellationToken);
    }

    public async Task<ProviderCall<RouteCheckResult>> CalculateRouteAsync(string payee, Money amount, CancellationToken cancellationToken)
    {
        if (!OffersInstantRoutes)
        {
            return ProviderCall<RouteCheckResult>.Ok(new RouteCheckResult(["regular"]));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, await EndpointAsync("routes", cancellationToken))
        {
            Content = JsonContent.Create(new RouteCheck(payee, amount.MinorUnits, amount.Currency.Code), options: PortalJson.Options),
        };
        return await SendAsync<RouteCheckResult>("route", request, cancellationToken);
    }

    /// <summary>Applies the API key and an unlimited client timeout (the resilience handler sets the limits).</summary>
    public static void Configure(HttpClient client, ProviderEndpointOptions options)
    {
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>An operation's URL under the provider's API root, or under the portal's own address for the in-app sandbox.</summary>
    private async ValueTask<Uri> EndpointAsync(string path, CancellationToken cancellationToken)
    {
        var root = options.AbsoluteBaseUri ?? new Uri(await portal.GetAsync(cancellationToken), options.PortalRelativeBaseUrl(Method));
        return new Uri(root, path);
    }

    /// <summary>One call, after the resilience handler's attempts: the provider's answer, or why there is none.</summary>
    private async Task<ProviderCall<T>> SendAsync<T>(string operation, HttpRequestMessage request, CancellationToken cancellationToken)
        where T : class
    {
        ProviderFailure failure;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync<T>(PortalJson.Options, cancellationToken);
                return value is null
                    ? ProviderCall<T>.Failed(new ProviderFailure(true, "bad_response", "The provider answered with an empty body."))
                    : ProviderCall<T>.Ok(value);
            }

            failure = await ToFailureAsync(response, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            // An attempt's limit (after the last attempt) or the whole call's.
            failure = new ProviderFailure(true, "timeout", $"No answer within {ex.Timeout.TotalSeconds:0.###} s.");
        }
        catch (BrokenCircuitException)
        {
            failure = new ProviderFailure(true, ProviderFailure.CircuitOpenCode, "Too many recent failures: the provider is not called for a moment.");
        }
        catch (HttpRequestException ex)
        {
            failure = new ProviderFailure(true, "unavailable", ex.Message);
        }
        catch (JsonException ex)
        {
            failure = new ProviderFailure(true, "bad_response", ex.Message);
        }

        if (failure.IsTransient)
        {
            // The operation and the failure only; headers (the API key) are never logged.
            logger.LogWarning("{Provider} {Operation} failed transiently: {Failure}", Method.ToApiName(), operation, failure);
        }

        return ProviderCall<T>.Failed(failure);
    }

    private static async Task<ProviderFailure> ToFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var transient = status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
        ProviderErrorBody? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync<ProviderErrorBody>(PortalJson.Options, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not the provider's error shape (a proxy's HTML page, say): the status code says enough.
        }

        if (response.StatusCode == HttpStatusCode.NotFound && body is null)
        {
            return new ProviderFailure(false, ProviderFailure.NotFoundCode, "The provider has no such payout.");
        }

        var code = body?.Code ?? status.ToString(CultureInfo.InvariantCulture);
        var reason = body is null ? $"HTTP {status} {response.ReasonPhrase}" : $"{body.Error}: {body.Message}";
        return new ProviderFailure(transient, code, reason);
    }
}

public sealed class PayoneerAdapter(HttpClient http, Microsoft.Extensions.Options.IOptions<ProvidersOptions> options, PortalAddress portal, ILogger<PayoneerAdapter> logger)
    : HttpPayoutProvider(http, options.Value.Payoneer, portal, logger)
{
    public override PayoutMethod Method => PayoutMethod.Payoneer;
}

public sealed class TipaltiAdapter(HttpClient http, Microsoft.Extensions.Options.IOptions<ProvidersOptions> options, PortalAddress portal, ILogger<TipaltiAdapter> logger)
    : HttpPayoutProvider(http, options.Value.Tipalti, portal, logger)
{
    public override PayoutMethod Method => PayoutMethod.Tipalti;
}

/// <summary>Bank transfers: the only provider with instant routes, when the route check finds one for the instrument.</summary>
public sealed class BankAdapter(HttpClient http, Microsoft.Extensions.Options.IOptions<ProvidersOptions> options, PortalAddress portal, ILogger<BankAdapter> logger)
    : HttpPayoutProvider(http, options.Value.Bank, portal, logger)
{
    public override PayoutMethod Method => PayoutMethod.Bank;

    protected override bool OffersInstantRoutes => true;
}
