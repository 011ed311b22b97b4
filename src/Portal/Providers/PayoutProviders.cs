using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Providers;

/// <summary>The adapter of each payout method.</summary>
public sealed class PayoutProviders(IEnumerable<IPayoutProvider> providers)
{
    private readonly Dictionary<PayoutMethod, IPayoutProvider> byMethod = providers.ToDictionary(p => p.Method);

    public IPayoutProvider For(PayoutMethod method) =>
        byMethod.TryGetValue(method, out var provider) ? provider : throw new InvalidOperationException($"No provider adapter for {method}.");
}
