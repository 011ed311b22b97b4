using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Fees;

/// <summary>Prices cashouts with a fee schedule; "now" comes from the injected clock so estimates are testable.</summary>
public sealed class QuoteCalculator(FeeSchedule schedule, TimeProvider clock)
{
    public const string InvalidAmountCode = "invalid_amount";
    public const string InvalidFeeAmountCode = "invalid_fee_amount";
    public const string FeeCurrencyMismatchCode = "fee_currency_mismatch";

    public FeeSchedule Schedule => schedule;

    /// <summary>
    /// Quotes one method. <paramref name="platformFee"/> is a fee the request names (Adyen style): it must be the
    /// configured fee, which the merchant cannot change; <paramref name="instantRoute"/> says the payee's bank accepts
    /// instant payouts (ignored for methods without an instant route).
    /// </summary>
    public Result<Quote, DomainError> Calculate(
        PayoutMethod method,
        Money amount,
        FeeSemantics semantics = FeeSemantics.FeeTakenFromAmount,
        bool instantRoute = false,
        Money? platformFee = null)
    {
        if (!amount.IsValidRequestAmount)
        {
            return new DomainError(InvalidAmountCode, "Invalid amount");
        }

        // A configured fixed fee can exceed a tiny amount (the bank's 50 on an amount of 30). Such amounts are below
        // every minimum and get declined for that; capping keeps their quote's net at zero, not negative.
        var terms = schedule.For(method);
        var fee = new Money(Math.Min(terms.FeeFor(amount.MinorUnits), amount.MinorUnits), amount.Currency);
        if (platformFee is { } requestedFee)
        {
            if (requestedFee.Currency != amount.Currency)
            {
                return new DomainError(FeeCurrencyMismatchCode, "Fee amount has a different currency than instruction amount");
            }

            // The caller is the merchant: it may state the platform's fee (Adyen's field), never choose it.
            if (requestedFee != fee)
            {
                return new DomainError(InvalidFeeAmountCode, "Invalid fee amount");
            }
        }

        var now = clock.GetUtcNow();
        var isInstant = instantRoute && terms.SupportsInstant;
        var estimatedCompletion = isInstant
            ? now.AddMinutes(terms.InstantCompletionMinutes)
            : BusinessCalendar.AddBusinessDays(now, terms.MaxBusinessDays);

        var (netPayout, totalDebit) = semantics switch
        {
            FeeSemantics.FeeTakenFromAmount => (amount - fee, amount),
            FeeSemantics.FeeOnTop => (amount, amount + fee),
            _ => throw new ArgumentOutOfRangeException(nameof(semantics), semantics, "Unknown fee semantics."),
        };

        return new Quote(
            method,
            semantics,
            amount,
            fee,
            netPayout,
            totalDebit,
            new Money(terms.MinimumMinorUnits, amount.Currency),
            now,
            estimatedCompletion,
            isInstant);
    }

    /// <summary>
    /// Quotes every given method for the same amount, in the order given, for the side-by-side view.
    /// Methods that cannot be quoted (only possible for an invalid amount) are left out.
    /// </summary>
    public IReadOnlyList<Quote> CompareMethods(
        IEnumerable<QuoteOption> options,
        Money amount,
        FeeSemantics semantics = FeeSemantics.FeeTakenFromAmount)
    {
        return options
            .Select(option => Calculate(option.Method, amount, semantics, option.InstantRoute))
            .Where(result => result.IsSuccess)
            .Select(result => result.Value)
            .ToList();
    }
}

/// <summary>A method to quote, and whether the payee's account has an instant route.</summary>
public sealed record QuoteOption(PayoutMethod Method, bool InstantRoute = false);
