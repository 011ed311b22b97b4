using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Providers;

/// <summary>One payout provider (payoneer, tipalti, bank), whatever its API looks like.</summary>
public interface IPayoutProvider
{
    PayoutMethod Method { get; }

    /// <summary>Asks for a payout. Safe to repeat: the provider pays once per <see cref="PayoutInstruction.IdempotencyKey"/>.</summary>
    Task<ProviderCall<PayoutResource>> SubmitAsync(PayoutInstruction instruction, CancellationToken cancellationToken);

    /// <summary>The payout submitted under <paramref name="idempotencyKey"/>; a permanent <c>not_found</c> when the provider never got it.</summary>
    Task<ProviderCall<PayoutResource>> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken);

    Task<ProviderCall<AccountCheckResult>> VerifyAccountAsync(string payee, Currency currency, CancellationToken cancellationToken);

    /// <summary>The routes that can pay this payee this amount; instant only where the provider allows it (bank).</summary>
    Task<ProviderCall<RouteCheckResult>> CalculateRouteAsync(string payee, Money amount, CancellationToken cancellationToken);
}

/// <param name="IdempotencyKey">Derived from the cashout id, so every retry of one cashout carries the same key.</param>
public sealed record PayoutInstruction(string IdempotencyKey, string Reference, Money Amount, Money Fee, Money NetAmount, string Payee, bool Instant);

/// <summary>Why a provider call did not succeed.</summary>
/// <param name="IsTransient">True for timeouts, refused connections, 5xx, 408, 429 and an open circuit: worth trying again later.</param>
/// <param name="Code">The provider's code (e.g. <c>808</c>), or <c>timeout</c>, <c>unavailable</c>, <c>circuit_open</c>, <c>not_found</c>.</param>
public sealed record ProviderFailure(bool IsTransient, string Code, string Reason)
{
    public const string NotFoundCode = "not_found";

    /// <summary>The adapter's circuit breaker is open: the provider failed too often lately and was not called.</summary>
    public const string CircuitOpenCode = "circuit_open";

    public override string ToString() => $"{Code}: {Reason}";
}

/// <summary>The outcome of one provider call, after its retries: a value or a failure.</summary>
public sealed record ProviderCall<T>(T? Value, ProviderFailure? Failure)
    where T : class
{
    public bool Succeeded => Failure is null;

    public static ProviderCall<T> Ok(T value) => new(value, null);

    public static ProviderCall<T> Failed(ProviderFailure failure) => new(null, failure);
}
