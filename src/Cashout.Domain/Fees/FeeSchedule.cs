using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Fees;

/// <summary>The fee terms of every payout method (DESIGN.md section 2, "Fees and quotes").</summary>
public sealed class FeeSchedule
{
    private readonly IReadOnlyDictionary<PayoutMethod, MethodFeeTerms> termsByMethod;

    public FeeSchedule(IEnumerable<MethodFeeTerms> terms)
    {
        var byMethod = new Dictionary<PayoutMethod, MethodFeeTerms>();
        foreach (var methodTerms in terms)
        {
            if (!byMethod.TryAdd(methodTerms.Method, methodTerms))
            {
                throw new ArgumentException($"Fee terms for {methodTerms.Method.ToApiName()} are given twice.");
            }
        }

        var missing = Enum.GetValues<PayoutMethod>().Where(method => !byMethod.ContainsKey(method)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Fee terms are missing for: {string.Join(", ", missing.Select(m => m.ToApiName()))}.");
        }

        termsByMethod = byMethod;
    }

    /// <summary>
    /// The published defaults: payoneer 2%, min 5000, 1-3 business days; tipalti 1.5%, min 5000,
    /// 3-5 business days; bank a platform fee of 50, min 100, instant within 30 minutes, else 1-2 business days.
    /// </summary>
    public static FeeSchedule Default { get; } = new(
    [
        new MethodFeeTerms(PayoutMethod.Payoneer, percentageFeeBasisPoints: 200, fixedFeeMinorUnits: 0, minimumMinorUnits: 5000, minBusinessDays: 1, maxBusinessDays: 3),
        new MethodFeeTerms(PayoutMethod.Tipalti, percentageFeeBasisPoints: 150, fixedFeeMinorUnits: 0, minimumMinorUnits: 5000, minBusinessDays: 3, maxBusinessDays: 5),
        new MethodFeeTerms(PayoutMethod.Bank, percentageFeeBasisPoints: 0, fixedFeeMinorUnits: 50, minimumMinorUnits: 100, minBusinessDays: 1, maxBusinessDays: 2, instantCompletionMinutes: 30),
    ]);

    public MethodFeeTerms For(PayoutMethod method) => termsByMethod[method];

    public IReadOnlyCollection<MethodFeeTerms> All => termsByMethod.Values.ToList();
}
