using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Fees;

/// <summary>
/// What a cashout would cost and when it would arrive. Shown side by side for every linked method and
/// stored on the cashout when it is created, so later fee changes never rewrite history.
/// </summary>
/// <param name="Amount">The amount the merchant asked for.</param>
/// <param name="Fee">The platform's fee.</param>
/// <param name="NetPayout">What the payee receives.</param>
/// <param name="TotalDebit">What leaves the merchant's available balance.</param>
/// <param name="Minimum">The method's minimum, so a quote can say when an amount is too small.</param>
/// <param name="EstimatedCompletion">The latest expected arrival (upper bound of the processing time).</param>
/// <param name="IsInstant">True when the payout goes over an instant route (bank only).</param>
public sealed record Quote(
    PayoutMethod Method,
    FeeSemantics Semantics,
    Money Amount,
    Money Fee,
    Money NetPayout,
    Money TotalDebit,
    Money Minimum,
    DateTimeOffset QuotedAt,
    DateTimeOffset EstimatedCompletion,
    bool IsInstant)
{
    public bool IsBelowMinimum => Amount < Minimum;
}
