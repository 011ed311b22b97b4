using Cashout.Domain.PaymentMethods;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Cashout.Portal.Providers;

/// <summary>
/// How an adapter's calls survive a provider's bad moments: a Microsoft.Extensions.Http.Resilience pipeline with
/// the standard handler's strategies in the standard order (total timeout, retry, circuit breaker, attempt timeout),
/// configured per provider from Providers:{name} (docs/decisions/017-provider-resilience-pipeline.md). The submit
/// job's own backoff (Payouts:SubmitRetry*) takes over once a call has failed here.
/// </summary>
public static class ProviderResilience
{
    /// <summary>The breaker opens when at least half of this many attempts within the sampling window failed transiently.</summary>
    public const int BreakerMinimumThroughput = 10;

    /// <summary>How long an open breaker fails calls at once, before it lets one through to try the provider again.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(15);

    public static IHttpClientBuilder AddProviderResilience(this IHttpClientBuilder client, PayoutMethod method)
    {
        client.AddResilienceHandler("provider", (pipeline, context) =>
            Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<ProvidersOptions>>().Value.For(method)));
        return client;
    }

    /// <summary>The longest a call may take: every attempt's time limit plus the backoff between them.</summary>
    /// <remarks>
    /// Polly's jittered exponential backoff (decorrelated jitter) adds up to less than base * 2^(attempts - 1) over a
    /// whole call, so this total never cuts the last attempt short; it bounds a Retry-After that asks for longer.
    /// </remarks>
    public static TimeSpan TotalTimeout(ProviderEndpointOptions endpoint) =>
        (endpoint.MaxAttempts * TimeSpan.FromSeconds(endpoint.TimeoutSeconds))
        + (Math.Pow(2, endpoint.MaxAttempts - 1) * TimeSpan.FromMilliseconds(endpoint.RetryBaseDelayMilliseconds));

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ProviderEndpointOptions endpoint)
    {
        var attemptTimeout = TimeSpan.FromSeconds(endpoint.TimeoutSeconds);
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "TotalTimeout", Timeout = TotalTimeout(endpoint) });

        // Retried: refused connections, attempt timeouts, 5xx, 408 and 429 (waiting for its Retry-After when given);
        // never a 4xx, the provider's final word. POST is retried too, deliberately (no DisableForUnsafeHttpMethods):
        // a submission is safe to repeat only because every attempt carries the same Idempotency-Key (the cashout's),
        // so the provider pays once however many attempts reach it; the account and route checks change nothing.
        // Polly's retry needs at least one retry, so MaxAttempts = 1 leaves the strategy out.
        if (endpoint.MaxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = endpoint.MaxAttempts - 1,
                Delay = TimeSpan.FromMilliseconds(endpoint.RetryBaseDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
            });
        }

        // Counts attempts, not calls. Per provider, so one provider's outage does not stop the others; a payee's own
        // failure (the sandbox's +down) does not trip it unless half of all attempts fail.
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = BreakerMinimumThroughput,
            SamplingDuration = Max(TimeSpan.FromSeconds(30), 2 * attemptTimeout),
            BreakDuration = BreakDuration,
        });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = attemptTimeout });
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
