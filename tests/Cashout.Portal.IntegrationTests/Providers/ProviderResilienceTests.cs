using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Providers;
using Cashout.Portal.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Providers;

/// <summary>
/// The adapters' resilience pipeline (ProviderResilience) against the provider sandbox served by the test server:
/// retries of transient answers under one idempotency key, and the circuit breaker. Attempt timeouts are tested
/// over real sockets in PayoutPipelineTests (the test server reports a cancelled call as a failed request).
/// </summary>
public sealed class ProviderResilienceTests
{
    [Fact]
    public async Task Does_retry_a_503_with_the_same_idempotency_key_and_pay_once()
    {
        // The sandbox answers a +down payee's first submission 503, the next one 201.
        await using var portal = new PortalFactory()
            .WithSetting("Sandbox:DownFailures", "1")
            .WithSetting("Providers:Payoneer:RetryBaseDelayMilliseconds", "20");

        var call = await SubmitAsync(portal, PayoutMethod.Payoneer, "cashout-503-then-200", "payee+down@example.com");

        Assert.True(call.Succeeded, call.Failure?.ToString());
        Assert.Equal(PayoutStatuses.Processing, call.Value!.Status);
        Assert.Equal([("cashout-503-then-200", "unavailable"), ("cashout-503-then-200", "created")], await SubmissionsAsync(portal));
        Assert.Equal(1, await SandboxAsync(portal, db => db.Payouts.CountAsync(p => p.IdempotencyKey == "cashout-503-then-200")));
    }

    [Fact]
    public async Task Does_give_up_after_MaxAttempts_with_the_providers_last_answer_when_it_stays_down()
    {
        await using var portal = new PortalFactory()
            .WithSetting("Sandbox:DownFailures", "100")
            .WithSetting("Providers:Payoneer:MaxAttempts", "3")
            .WithSetting("Providers:Payoneer:RetryBaseDelayMilliseconds", "20");

        var call = await SubmitAsync(portal, PayoutMethod.Payoneer, "cashout-down", "payee+down@example.com");

        Assert.Equal(new ProviderFailure(true, "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE: The provider is temporarily unavailable."), call.Failure);
        Assert.Equal(Enumerable.Repeat(("cashout-down", "unavailable"), 3), await SubmissionsAsync(portal));
        Assert.Equal(0, await SandboxAsync(portal, db => db.Payouts.CountAsync()));
    }

    [Fact]
    public async Task Does_open_the_circuit_after_repeated_failures_and_stop_calling_that_provider_only()
    {
        await using var portal = new PortalFactory()
            .WithSetting("Sandbox:DownFailures", "100")
            .WithSetting("Providers:Payoneer:MaxAttempts", "1");

        for (var i = 0; i < ProviderResilience.BreakerMinimumThroughput; i++)
        {
            var failed = await SubmitAsync(portal, PayoutMethod.Payoneer, $"cashout-{i}", "payee+down@example.com");
            Assert.Equal("SERVICE_UNAVAILABLE", failed.Failure?.Code);
        }

        var refused = await SubmitAsync(portal, PayoutMethod.Payoneer, "cashout-after-the-break", "payee@example.com");

        Assert.Equal(new ProviderFailure(true, ProviderFailure.CircuitOpenCode, "Too many recent failures: the provider is not called for a moment."), refused.Failure);
        Assert.Equal(ProviderResilience.BreakerMinimumThroughput, (await SubmissionsAsync(portal)).Count);
        var tipalti = await SubmitAsync(portal, PayoutMethod.Tipalti, "cashout-tipalti", "payee@example.com");
        Assert.True(tipalti.Succeeded, tipalti.Failure?.ToString());
    }

    private static Task<ProviderCall<PayoutResource>> SubmitAsync(PortalFactory portal, PayoutMethod method, string idempotencyKey, string payee) =>
        portal.UseAsync<PayoutProviders, ProviderCall<PayoutResource>>(providers => providers.For(method).SubmitAsync(
            new PayoutInstruction(idempotencyKey, idempotencyKey, Usd(10_000), Usd(200), Usd(9_800), payee, Instant: false),
            CancellationToken.None));

    private static Task<List<(string Key, string Outcome)>> SubmissionsAsync(PortalFactory portal) =>
        SandboxAsync(portal, async db => (await db.Submissions.OrderBy(s => s.Id).Select(s => new { s.IdempotencyKey, s.Outcome }).ToListAsync())
            .Select(s => (s.IdempotencyKey, s.Outcome)).ToList());

    private static async Task<T> SandboxAsync<T>(PortalFactory portal, Func<SandboxDbContext, Task<T>> query)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<SandboxDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    private static Cashout.Domain.Monetary.Money Usd(long cents) => Cashout.Domain.Monetary.Money.Of(cents, Currency.USD);
}
