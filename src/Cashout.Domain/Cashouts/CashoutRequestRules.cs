using System.Globalization;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Cashouts;

/// <summary>Which rule declined a request. Validation rules come first, then rules 1-6 of DESIGN.md section 2.</summary>
public enum CashoutDeclineRule
{
    InvalidAmount,
    InvalidFeeAmount,
    FeeCurrencyMismatch,
    VerificationRequired,
    AmountBelowMinimum,
    PaymentMethodNotLinked,
    PendingCashoutExists,
    CooldownPeriod,
    InsufficientBalance,
}

/// <summary>
/// A declined request: the exact published message (the APIs return it verbatim), a detail that
/// says what to do, and for the cooldown when the next request is possible (for Retry-After).
/// </summary>
public sealed record CashoutDecline(CashoutDeclineRule Rule, string Message, string Detail, DateTimeOffset? RetryAt = null);

/// <param name="Amount">Minor units, as the APIs send them; anything not positive or above the maximum is invalid.</param>
/// <param name="PlatformFee">A fee named in the request (Adyen style); null to use the configured fee.</param>
public sealed record CashoutRequest(
    PayoutMethod Method,
    long Amount,
    Currency Currency,
    FeeSemantics Semantics = FeeSemantics.FeeTakenFromAmount,
    Money? PlatformFee = null);

/// <summary>What the rules need to know about the merchant, read by the host in one go.</summary>
/// <param name="LinkedMethods">The merchant's linked, usable methods (with the bank's instant-route flag).</param>
/// <param name="HasCashoutAwaitingSubmission">A cashout in Pending or OnHold exists.</param>
/// <param name="LastCooldownRequestAt">When the latest cashout that starts a cooldown (not Cancelled, Failed or Returned) was requested.</param>
/// <param name="AvailableBalance">The available balance in the request's currency.</param>
public sealed record CashoutRequestSnapshot(
    bool IsVerified,
    IReadOnlyCollection<QuoteOption> LinkedMethods,
    bool HasCashoutAwaitingSubmission,
    DateTimeOffset? LastCooldownRequestAt,
    Money AvailableBalance,
    DateTimeOffset Now);

/// <summary>
/// Decides whether a merchant may request a cashout, checking the rules in the published order so
/// the same situation always gets the same answer. Accepts with the quote to store on the cashout.
/// </summary>
public sealed class CashoutRequestRules(QuoteCalculator quotes)
{
    public static readonly TimeSpan Cooldown = TimeSpan.FromHours(24);

    /// <summary>Rule 5 in words, shown before the first request and in its decline.</summary>
    public const string CooldownExplanation =
        "One cashout per 24 hours: only cashouts that paid out start the wait; cancelled, failed and returned ones do not.";

    public Result<Quote, CashoutDecline> Evaluate(CashoutRequest request, CashoutRequestSnapshot snapshot)
    {
        if (snapshot.AvailableBalance.Currency != request.Currency)
        {
            throw new ArgumentException($"The snapshot's balance is in {snapshot.AvailableBalance.Currency}, the request in {request.Currency}.", nameof(snapshot));
        }

        var amount = new Money(request.Amount, request.Currency);
        var linked = snapshot.LinkedMethods.FirstOrDefault(option => option.Method == request.Method);
        var quoteResult = quotes.Calculate(request.Method, amount, request.Semantics, linked?.InstantRoute ?? false, request.PlatformFee);
        if (quoteResult.IsFailure)
        {
            return InvalidInput(quoteResult.Error, amount);
        }

        var quote = quoteResult.Value;

        if (!snapshot.IsVerified)
        {
            return new CashoutDecline(
                CashoutDeclineRule.VerificationRequired,
                "Account verification required",
                "Account must be verified before cashing out: confirm your email and have your business details approved.");
        }

        if (quote.IsBelowMinimum)
        {
            var minimum = quote.Minimum;
            return new CashoutDecline(
                CashoutDeclineRule.AmountBelowMinimum,
                "Amount below minimum",
                $"Minimum cashout {request.Method.ToDestinationPhrase()} is {minimum} ({minimum.MinorUnits} {minimum.Currency.MinorUnitName})");
        }

        if (linked is null)
        {
            return new CashoutDecline(
                CashoutDeclineRule.PaymentMethodNotLinked,
                "Payment method not linked",
                $"Link a {request.Method.ToDisplayName()} account before requesting a cashout with it.");
        }

        if (snapshot.HasCashoutAwaitingSubmission)
        {
            return new CashoutDecline(
                CashoutDeclineRule.PendingCashoutExists,
                "Pending cashout exists",
                "You already have a cashout pending or on hold; wait until it is processed, or cancel it.");
        }

        if (snapshot.LastCooldownRequestAt is { } lastRequestAt && snapshot.Now < lastRequestAt + Cooldown)
        {
            var nextRequestAt = lastRequestAt + Cooldown;
            return new CashoutDecline(
                CashoutDeclineRule.CooldownPeriod,
                "Cooldown period",
                $"{CooldownExplanation} Next request possible: {nextRequestAt.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)}.",
                nextRequestAt);
        }

        if (snapshot.AvailableBalance < quote.TotalDebit)
        {
            return new CashoutDecline(
                CashoutDeclineRule.InsufficientBalance,
                "Insufficient balance",
                $"Available balance {snapshot.AvailableBalance} is less than the {quote.TotalDebit} this cashout debits.");
        }

        return quote;
    }

    /// <summary>
    /// The most a merchant can ask for with <paramref name="method"/> out of <paramref name="available"/>, as the portal
    /// charges (the fee is taken from the amount, so the debit is the amount): the whole balance, up to the largest
    /// request. Null when that is below the method's minimum, so no full-balance request would be accepted.
    /// </summary>
    public Money? FullBalanceAmount(PayoutMethod method, Money available)
    {
        var amount = new Money(Math.Min(available.MinorUnits, Money.MaximumMinorUnits), available.Currency);
        return amount.MinorUnits >= quotes.Schedule.For(method).MinimumMinorUnits ? amount : null;
    }

    private static CashoutDecline InvalidInput(DomainError error, Money amount) => error.Code switch
    {
        QuoteCalculator.InvalidFeeAmountCode => new CashoutDecline(
            CashoutDeclineRule.InvalidFeeAmount, "Invalid fee amount", "The fee is the platform's configured fee: leave it out, or give the fee the quote shows."),
        QuoteCalculator.FeeCurrencyMismatchCode => new CashoutDecline(
            CashoutDeclineRule.FeeCurrencyMismatch, "Fee amount has a different currency than instruction amount", "Give the fee in the currency of the amount."),
        _ => new CashoutDecline(
            CashoutDeclineRule.InvalidAmount,
            "Invalid amount",
            $"The amount must be a whole number of {amount.Currency.MinorUnitName} between 1 and {Money.MaximumMinorUnits}."),
    };
}
