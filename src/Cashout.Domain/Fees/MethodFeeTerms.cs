using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Fees;

/// <summary>
/// The fee, minimum and processing time of one payout method. Built from plain numbers so the host can
/// bind it from configuration; the constructor refuses nonsense so a bad setting fails at start.
/// </summary>
public sealed record MethodFeeTerms
{
    public const int BasisPointsPerWhole = 10_000;

    public MethodFeeTerms(
        PayoutMethod method,
        int percentageFeeBasisPoints,
        long fixedFeeMinorUnits,
        long minimumMinorUnits,
        int minBusinessDays,
        int maxBusinessDays,
        int instantCompletionMinutes = 0)
    {
        Require(percentageFeeBasisPoints is >= 0 and <= BasisPointsPerWhole, method, "percentage fee must be between 0 and 10000 basis points");
        Require(fixedFeeMinorUnits >= 0, method, "fixed fee cannot be negative");
        Require(minimumMinorUnits is > 0 and <= Money.MaximumMinorUnits, method, "minimum must be positive and within the maximum amount");
        // A fixed fee at or above the minimum would leave nothing to pay out on a minimum cashout.
        Require(fixedFeeMinorUnits < minimumMinorUnits, method, "fixed fee must be below the minimum amount");
        Require(minBusinessDays >= 0 && maxBusinessDays >= minBusinessDays, method, "processing days must satisfy 0 <= min <= max");
        Require(instantCompletionMinutes >= 0, method, "instant completion minutes cannot be negative");

        Method = method;
        PercentageFeeBasisPoints = percentageFeeBasisPoints;
        FixedFeeMinorUnits = fixedFeeMinorUnits;
        MinimumMinorUnits = minimumMinorUnits;
        MinBusinessDays = minBusinessDays;
        MaxBusinessDays = maxBusinessDays;
        InstantCompletionMinutes = instantCompletionMinutes;
    }

    public PayoutMethod Method { get; }

    /// <summary>Percentage fee in basis points: 200 = 2%.</summary>
    public int PercentageFeeBasisPoints { get; }

    /// <summary>A flat platform fee in minor units, added to the percentage fee (the bank fee).</summary>
    public long FixedFeeMinorUnits { get; }

    /// <summary>The smallest cashout, in minor units of whatever currency the cashout uses.</summary>
    public long MinimumMinorUnits { get; }

    public int MinBusinessDays { get; }

    public int MaxBusinessDays { get; }

    /// <summary>How long an instant payout takes at most; 0 when the method has no instant route.</summary>
    public int InstantCompletionMinutes { get; }

    public bool SupportsInstant => InstantCompletionMinutes > 0;

    /// <summary>
    /// The fee for an amount: the percentage rounded half away from zero to the minor unit
    /// (1.5% of 3333 = 49.995 -> 50), plus the fixed fee. Decimal arithmetic, exact.
    /// </summary>
    public long FeeFor(long amountMinorUnits)
    {
        var percentage = amountMinorUnits * (decimal)PercentageFeeBasisPoints / BasisPointsPerWhole;
        return (long)Math.Round(percentage, MidpointRounding.AwayFromZero) + FixedFeeMinorUnits;
    }

    private static void Require(bool condition, PayoutMethod method, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"Fee terms for {method.ToApiName()}: {rule}.");
        }
    }
}
