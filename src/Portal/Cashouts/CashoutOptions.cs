using System.ComponentModel.DataAnnotations;
using Cashout.Domain.Fees;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Cashouts;

/// <summary>The cashout settings (section "Cashouts"): fee table, windows. Validated at start.</summary>
public sealed class CashoutOptions : IValidatableObject
{
    public const string Section = "Cashouts";

    /// <summary>How long a completed payout may still be returned by the beneficiary's bank.</summary>
    [Range(1, 365)]
    public int ReversalWindowDays { get; set; } = 30;

    /// <summary>Fee terms per method (api name -> terms). Missing methods use the published defaults.</summary>
    public Dictionary<string, FeeTermsOptions> Fees { get; set; } = [];

    public TimeSpan ReversalWindow => TimeSpan.FromDays(ReversalWindowDays);

    public FeeSchedule ToFeeSchedule() => new(Enum.GetValues<PayoutMethod>().Select(method =>
        Fees.TryGetValue(method.ToApiName(), out var configured) ? configured.ToTerms(method) : FeeSchedule.Default.For(method)));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var name in Fees.Keys.Where(name => !PayoutMethodNames.TryParseApiName(name, out _)))
        {
            yield return new ValidationResult($"Cashouts:Fees:{name} is not a payout method (payoneer, tipalti, bank).");
        }

        string? problem = null;
        try
        {
            ToFeeSchedule();
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"Cashouts:Fees is invalid: {problem}");
        }
    }
}

public sealed class FeeTermsOptions
{
    public int PercentageFeeBasisPoints { get; set; }
    public long FixedFeeMinorUnits { get; set; }
    public long MinimumMinorUnits { get; set; }
    public int MinBusinessDays { get; set; }
    public int MaxBusinessDays { get; set; }
    public int InstantCompletionMinutes { get; set; }

    public MethodFeeTerms ToTerms(PayoutMethod method) =>
        new(method, PercentageFeeBasisPoints, FixedFeeMinorUnits, MinimumMinorUnits, MinBusinessDays, MaxBusinessDays, InstantCompletionMinutes);
}
