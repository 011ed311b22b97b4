using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;

namespace Cashout.Portal.Providers;

/// <summary>
/// The HTTP side every adapter shares: a typed HttpClient, a time limit per attempt, and retries with exponential
/// backoff and jitter for transient failures only (hand-written: Polly is not on this registry). A 4xx answer is
/// the provider's final word and is never retried. Every attempt of a submission carries the same idempotency key,
/// so a retry after a lost answer never pays twice.
/// </summary>
public abstract class HttpPayoutProvider(HttpClient http, ProviderEndpointOptions options, TimeProvider time, ILogger logger) : IPayoutProvider
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public abstract PayoutMethod Method { get; }

    /// <summary>Whether the provider can pay out instantly at all (the route check decides per payee).</summary>
    protected virtual bool OffersInstantRoutes => false;

    public Task<ProviderCall<PayoutResource>> SubmitAsync(PayoutInstruction instruction, CancellationToken cancellationToken)
    {
        var body = new PayoutSubmission(
            instruction.Reference,
            instruction.Amount.MinorUnits,
            instruction.Fee.MinorUnits,
            instruction.NetAmount.MinorUnits,
            instruction.Amount.Currency.Code,
            instruction.Payee,
            instruction.Instant && OffersInstantRoutes ? "instant" : "regular");
        return SendAsync<PayoutResource>("submit", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "payouts") { Content = JsonContent.Create(body, options: PortalJson.Options) };
            request.Headers.Add(IdempotencyKeyHeader, instruction.IdempotencyKey);
            return request;
        }, cancellationToken);
    }

    public Task<ProviderCall<PayoutResource>> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync<PayoutResource>("status", () => new HttpRequestMessage(HttpMethod.Get, "payouts/" + Uri.EscapeDataString(idempotencyKey)), cancellationToken);

    public Task<ProviderCall<AccountCheckResult>> VerifyAccountAsync(string payee, Currency currency, CancellationToken cancellationToken) =>
        SendAsync<AccountCheckResult>("verify", () => new HttpRequestMessage(HttpMethod.Post, "accounts/verify")
        {
            Content = JsonContent.Create(new AccountCheck(payee, currency.Code), options: PortalJson.Options),
        }, cancellationToken);

    public async Task<ProviderCall<RouteCheckResult>> CalculateRouteAsync(string payee, Money amount, CancellationToken cancellationToken)
    {
        if (!OffersInstantRoutes)
        {
            return ProviderCall<RouteCheckResult>.Ok(new RouteCheckResult(["regular"]));
        }

        return await SendAsync<RouteCheckResult>("route", () => new HttpRequestMessage(HttpMethod.Post, "routes")
        {
            Content = JsonContent.Create(new RouteCheck(payee, amount.MinorUnits, amount.Currency.Code), options: PortalJson.Options),
        }, cancellationToken);
    }

    /// <summary>Applies the base URL, the API key and an unlimited client timeout (each attempt has its own).</summary>
    public static void Configure(HttpClient client, ProviderEndpointOptions options)
    {
        client.BaseAddress = options.BaseUri;
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private async Task<ProviderCall<T>> SendAsync<T>(string operation, Func<HttpRequestMessage> buildRequest, CancellationToken cancellationToken)
        where T : class
    {
        ProviderFailure failure = new(true, "unavailable", "not attempted");
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(Backoff(attempt - 1), time, cancellationToken);
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
            try
            {
                using var request = buildRequest();
                using var response = await http.SendAsync(request, attemptTimeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    var value = await response.Content.ReadFromJsonAsync<T>(PortalJson.Options, attemptTimeout.Token);
                    return value is null
                        ? ProviderCall<T>.Failed(new ProviderFailure(true, "bad_response", "The provider answered with an empty body."))
                        : ProviderCall<T>.Ok(value);
                }

                failure = await ToFailureAsync(response, attemptTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new ProviderFailure(true, "timeout", $"No answer within {options.TimeoutSeconds} s.");
            }
            catch (HttpRequestException ex)
            {
                failure = new ProviderFailure(true, "unavailable", ex.Message);
            }
            catch (JsonException ex)
            {
                failure = new ProviderFailure(true, "bad_response", ex.Message);
            }

            if (!failure.IsTransient)
            {
                return ProviderCall<T>.Failed(failure);
            }

            // The request URI and the failure only; headers (the API key) are never logged.
            logger.LogWarning("{Provider} {Operation} attempt {Attempt}/{MaxAttempts} failed transiently: {Failure}",
                Method.ToApiName(), operation, attempt, options.MaxAttempts, failure);
        }

        return ProviderCall<T>.Failed(failure);
    }

    private TimeSpan Backoff(int retry)
    {
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds * Math.Pow(2, retry - 1) * jitter);
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

public sealed class PayoneerAdapter(HttpClient http, Microsoft.Extensions.Options.IOptions<ProvidersOptions> options, TimeProvider time, ILogger<PayoneerAdapter> logger)
    : HttpPayoutProvider(http, options.Value.Payoneer, time, logger)
{
    public override PayoutMethod Method => PayoutMethod.Payoneer;
}

public sealed class TipaltiAdapter(HttpClient http, Microsoft.Extensions.Options.IOptions<ProvidersOptions> options, TimeProvider time, ILogger<TipaltiAdapter> logger)
    : HttpPayoutProvider(http, options.Value.Tipalti, time, logger)
{
    public override PayoutMethod Method => PayoutMethod.Tipalti;
}

/// <summary>Bank transfers: the only provider with instant routes, when the route check finds one for the instrument.</summary>
public sealed class BankAdapter(HttpClient http, Microsoft.Extensions.Options.IOptions<ProvidersOptions> options, TimeProvider time, ILogger<BankAdapter> logger)
    : HttpPayoutProvider(http, options.Value.Bank, time, logger)
{
    public override PayoutMethod Method => PayoutMethod.Bank;

    protected override bool OffersInstantRoutes => true;
}
