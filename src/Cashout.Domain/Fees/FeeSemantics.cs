namespace Cashout.Domain.Fees;

/// <summary>Who bears the fee: the two APIs the portal follows disagree, so every quote says which applies.</summary>
public enum FeeSemantics
{
    /// <summary>Portal and family-A API: the payee receives amount - fee; the balance is debited amount.</summary>
    FeeTakenFromAmount,

    /// <summary>Family-B (Adyen-style) API: the payee receives amount; the balance is debited amount + fee.</summary>
    FeeOnTop,
}
