using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.UnitTests.Domain.Ledger;

public class LedgerPostingsTests
{
    private const string Merchant = "m-1";
    private static readonly Currency Eur = Currency.EUR;
    private static readonly Money Ten = new(1000, Eur);

    private static LedgerAccountKey Available => LedgerAccountKey.MerchantAvailable(Merchant, Eur);
    private static LedgerAccountKey Pending => LedgerAccountKey.MerchantPending(Merchant, Eur);
    private static LedgerAccountKey Reserved => LedgerAccountKey.MerchantReserved(Merchant, Eur);
    private static LedgerAccountKey External => LedgerAccountKey.ExternalFunding(Eur);
    private static LedgerAccountKey FeeRevenue => LedgerAccountKey.PlatformFeeRevenue(Eur);
    private static LedgerAccountKey Clearing => LedgerAccountKey.ProviderClearing(PayoutMethod.Payoneer, Eur);

    // Debit 1000 = payout 980 + fee 20 (2% taken from the amount).
    private static readonly CashoutSettlement Settlement = new(Ten, new Money(980, Eur), new Money(20, Eur));

    [Fact]
    public void Moves_money_from_external_funding_to_pending_when_a_sale_arrives()
    {
        AssertEntries(LedgerPostings.FundToPending(Merchant, Ten), LedgerTransactionKind.FundToPending, (External, -1000), (Pending, 1000));
    }

    [Fact]
    public void Moves_money_from_external_funding_to_available_when_a_settled_sale_arrives()
    {
        AssertEntries(LedgerPostings.FundToAvailable(Merchant, Ten), LedgerTransactionKind.FundToAvailable, (External, -1000), (Available, 1000));
    }

    [Fact]
    public void Moves_pending_to_available_when_funds_settle()
    {
        AssertEntries(LedgerPostings.Settle(Merchant, Ten), LedgerTransactionKind.Settle, (Pending, -1000), (Available, 1000));
    }

    [Fact]
    public void Moves_the_debit_from_available_to_reserved_when_a_cashout_is_requested()
    {
        AssertEntries(LedgerPostings.ReserveForCashout(Merchant, Ten), LedgerTransactionKind.ReserveForCashout, (Available, -1000), (Reserved, 1000));
    }

    [Fact]
    public void Moves_the_debit_back_to_available_when_a_cashout_is_cancelled()
    {
        AssertEntries(LedgerPostings.ReleaseOnCancel(Merchant, Ten), LedgerTransactionKind.ReleaseOnCancel, (Reserved, -1000), (Available, 1000));
    }

    [Fact]
    public void Moves_the_debit_back_to_available_when_a_cashout_fails()
    {
        AssertEntries(LedgerPostings.ReleaseOnFail(Merchant, Ten), LedgerTransactionKind.ReleaseOnFail, (Reserved, -1000), (Available, 1000));
    }

    [Fact]
    public void Splits_the_debit_into_provider_clearing_and_fee_revenue_when_a_cashout_completes()
    {
        AssertEntries(
            LedgerPostings.CompleteCashout(Merchant, PayoutMethod.Payoneer, Settlement),
            LedgerTransactionKind.CompleteCashout,
            (Reserved, -1000), (Clearing, 980), (FeeRevenue, 20));
    }

    [Fact]
    public void Gives_amount_and_fee_back_to_available_when_a_completed_cashout_is_returned()
    {
        AssertEntries(
            LedgerPostings.ReturnCashout(Merchant, PayoutMethod.Payoneer, Settlement),
            LedgerTransactionKind.ReturnCashout,
            (Clearing, -980), (FeeRevenue, -20), (Available, 1000));
    }

    [Fact]
    public void Leaves_out_the_fee_leg_when_the_fee_is_zero()
    {
        var settlement = new CashoutSettlement(Ten, Ten, Money.Zero(Eur));

        AssertEntries(
            LedgerPostings.CompleteCashout(Merchant, PayoutMethod.Payoneer, settlement),
            LedgerTransactionKind.CompleteCashout,
            (Reserved, -1000), (Clearing, 1000));
    }

    [Fact]
    public void Moves_pending_to_available_when_funds_are_settled_early_for_a_cashout()
    {
        AssertEntries(LedgerPostings.SettleEarly(Merchant, Ten), LedgerTransactionKind.SettleEarly, (Pending, -1000), (Available, 1000));
    }

    [Fact]
    public void Takes_amount_plus_fee_from_pending_and_credits_available_and_fee_revenue_when_a_cashout_stays_in_the_balance()
    {
        AssertEntries(
            LedgerPostings.CashoutToBalance(Merchant, Ten, new Money(25, Eur)),
            LedgerTransactionKind.CashoutToBalance,
            (Pending, -1025), (Available, 1000), (FeeRevenue, 25));
    }

    [Fact]
    public void Leaves_out_the_fee_leg_when_a_cashout_to_the_balance_has_no_fee()
    {
        AssertEntries(
            LedgerPostings.CashoutToBalance(Merchant, Ten, new Money(0, Eur)),
            LedgerTransactionKind.CashoutToBalance,
            (Pending, -1000), (Available, 1000));
    }

    [Fact]
    public void Refuses_a_cashout_to_the_balance_with_a_negative_fee_or_a_fee_in_another_currency()
    {
        Assert.Throws<ArgumentException>(() => LedgerPostings.CashoutToBalance(Merchant, Ten, new Money(-1, Eur)));
        Assert.Throws<ArgumentException>(() => LedgerPostings.CashoutToBalance(Merchant, Ten, new Money(1, Currency.USD)));
        Assert.Throws<ArgumentException>(() => LedgerPostings.CashoutToBalance(Merchant, new Money(0, Eur), new Money(0, Eur)));
    }

    [Fact]
    public void Refuses_a_settlement_when_payout_and_fee_do_not_add_up_to_the_debit()
    {
        Assert.Throws<ArgumentException>(() => new CashoutSettlement(Ten, new Money(980, Eur), new Money(21, Eur)));
        Assert.Throws<ArgumentException>(() => new CashoutSettlement(Ten, new Money(1001, Eur), new Money(-1, Eur)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Throws_when_a_movement_is_not_positive(long amount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerPostings.FundToAvailable(Merchant, new Money(amount, Eur)));
    }

    private static void AssertEntries(LedgerTransaction transaction, LedgerTransactionKind kind, params (LedgerAccountKey Account, long Amount)[] expected)
    {
        Assert.Equal(kind, transaction.Kind);
        Assert.False(string.IsNullOrWhiteSpace(transaction.Description));
        Assert.Equal(expected, transaction.Entries.Select(entry => (entry.Account, entry.Amount)));
        Assert.Equal(0, transaction.Entries.Sum(entry => entry.Amount));
    }
}
