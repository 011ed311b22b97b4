using Cashout.Domain;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.UnitTests.Domain.Support;

/// <summary>Shared test data: well-known dates, the default calculator, cashouts driven into each status.</summary>
internal static class Sample
{
    /// <summary>A Friday, so business-day arithmetic crosses a weekend.</summary>
    public static readonly DateTimeOffset Friday = new(2026, 1, 9, 10, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan ReversalWindow = TimeSpan.FromDays(5);

    public const string MerchantId = "merchant-1";

    public static readonly Actor Merchant = Actor.Merchant(MerchantId);
    public static readonly Actor Admin = Actor.Admin("admin-1");
    public static readonly Actor SubmitJob = Actor.System("submit-job");
    public static readonly Actor Payoneer = Actor.Provider("payoneer");

    public static QuoteCalculator Calculator(DateTimeOffset? now = null) =>
        new(FeeSchedule.Default, new FixedClock(now ?? Friday));

    public static Quote Quote(long amount = 100_000, PayoutMethod method = PayoutMethod.Payoneer, FeeSemantics semantics = FeeSemantics.FeeTakenFromAmount, Currency? currency = null) =>
        Calculator().Calculate(method, new Money(amount, currency ?? Currency.USD), semantics).Value;

    public static MerchantCashout NewCashout(long amount = 100_000, FeeSemantics semantics = FeeSemantics.FeeTakenFromAmount) =>
        MerchantCashout.Create(MerchantId, Quote(amount, semantics: semantics), "payee@example.com", Merchant, Friday).Value.Cashout;

    /// <summary>A cashout brought into <paramref name="status"/> through the allowed transitions.</summary>
    public static MerchantCashout CashoutIn(CashoutStatus status)
    {
        var cashout = NewCashout();
        var at = Friday.AddMinutes(1);
        switch (status)
        {
            case CashoutStatus.Pending:
                break;
            case CashoutStatus.OnHold:
                Apply(cashout.Hold(Admin, "Risk review", at));
                break;
            case CashoutStatus.Cancelled:
                Apply(cashout.Cancel(Merchant, "Changed my mind", at));
                break;
            case CashoutStatus.Processing:
                Apply(cashout.Submit(SubmitJob, "PO-123", at));
                break;
            case CashoutStatus.Completed:
                Apply(cashout.Submit(SubmitJob, "PO-123", at));
                Apply(cashout.Complete(Payoneer, at, ReversalWindow));
                break;
            case CashoutStatus.Failed:
                Apply(cashout.Submit(SubmitJob, "PO-123", at));
                Apply(cashout.Fail(Payoneer, "808", "ERROR_OTHER", at));
                break;
            case CashoutStatus.Returned:
                Apply(cashout.Submit(SubmitJob, "PO-123", at));
                Apply(cashout.Complete(Payoneer, at, ReversalWindow));
                Apply(cashout.Return(Payoneer, "R01", "Account closed", at.AddDays(1)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }

        Assert.Equal(status, cashout.Status);
        return cashout;
    }

    private static void Apply(Result<CashoutTransition, DomainError> result) =>
        Assert.True(result.IsSuccess, result.IsFailure ? result.Error.Message : null);
}
