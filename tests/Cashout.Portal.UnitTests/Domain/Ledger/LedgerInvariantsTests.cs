using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;

namespace Cashout.Portal.UnitTests.Domain.Ledger;

public class LedgerInvariantsTests
{
    private const string Merchant = "m-1";
    private static readonly LedgerAccountKey Available = LedgerAccountKey.MerchantAvailable(Merchant, Currency.USD);
    private static readonly LedgerAccountKey Reserved = LedgerAccountKey.MerchantReserved(Merchant, Currency.USD);
    private static readonly LedgerAccountKey External = LedgerAccountKey.ExternalFunding(Currency.USD);

    // Funded 1000, then reserved 300 for one pending cashout.
    private static readonly RecordedTransaction Funding = new("t1", [new LedgerEntry(External, -1000), new LedgerEntry(Available, 1000)]);
    private static readonly RecordedTransaction Reservation = new("t2", [new LedgerEntry(Available, -300), new LedgerEntry(Reserved, 300)]);
    private static readonly CashoutReservationFact PendingCashout = new("c1", Merchant, CashoutStatus.Pending, new Money(300, Currency.USD));

    private static Dictionary<LedgerAccountKey, long> ConsistentBalances() => new()
    {
        [External] = -1000,
        [Available] = 700,
        [Reserved] = 300,
    };

    [Fact]
    public void Finds_no_violation_when_the_ledger_is_consistent()
    {
        var violations = LedgerInvariants.Check([Funding, Reservation], ConsistentBalances(), [PendingCashout]);

        Assert.Empty(violations);
    }

    [Fact]
    public void Reports_an_unbalanced_transaction_when_a_stored_one_does_not_sum_to_zero()
    {
        var broken = new RecordedTransaction("t3", [new LedgerEntry(Available, 5)]);
        var balances = ConsistentBalances();
        balances[Available] = 705;

        var violations = LedgerInvariants.Check([Funding, Reservation, broken], balances, [PendingCashout]);

        Assert.Contains(violations, violation => violation.Invariant == LedgerInvariant.TransactionBalances
            && violation.Description.Contains("Transaction t3") && violation.Description.Contains("USD entries sum to 5, not 0"));
    }

    [Fact]
    public void Reports_a_drifted_running_balance_when_it_differs_from_the_sum_of_entries()
    {
        var balances = ConsistentBalances();
        balances[Available] = 701;
        balances[External] = -1001;

        var violations = LedgerInvariants.Check([Funding, Reservation], balances, [PendingCashout]);

        Assert.Contains(violations, violation => violation.Invariant == LedgerInvariant.RunningBalanceMatchesEntries
            && violation.Description == "Account merchant:m-1:available:USD: running balance 701 but its entries sum to 700.");
    }

    [Fact]
    public void Reports_a_missing_running_balance_when_entries_exist_for_the_account()
    {
        var balances = ConsistentBalances();
        balances.Remove(Reserved);
        balances[External] = -700;

        var violations = LedgerInvariants.Check([Funding, Reservation], balances, [PendingCashout]);

        Assert.Contains(violations, violation => violation.Invariant == LedgerInvariant.RunningBalanceMatchesEntries
            && violation.Description.Contains("merchant:m-1:reserved:USD"));
    }

    [Fact]
    public void Reports_a_negative_balance_when_a_non_negative_account_is_below_zero()
    {
        var overdraw = new RecordedTransaction("t3", [new LedgerEntry(Available, -800), new LedgerEntry(Reserved, 800)]);
        var balances = new Dictionary<LedgerAccountKey, long> { [External] = -1000, [Available] = -100, [Reserved] = 1100 };
        CashoutReservationFact[] cashouts = [PendingCashout, PendingCashout with { CashoutId = "c2", Debit = new Money(800, Currency.USD) }];

        var violations = LedgerInvariants.Check([Funding, Reservation, overdraw], balances, cashouts);

        var violation = Assert.Single(violations);
        Assert.Equal(LedgerInvariant.BalanceNotNegative, violation.Invariant);
        Assert.Equal("Account merchant:m-1:available:USD is negative: -100.", violation.Description);
    }

    [Fact]
    public void Reports_a_nonzero_currency_total_when_money_appeared_from_nowhere()
    {
        var balances = ConsistentBalances();
        balances[External] = -900;

        var violations = LedgerInvariants.Check([Funding, Reservation], balances, [PendingCashout]);

        Assert.Contains(violations, violation => violation.Invariant == LedgerInvariant.CurrencyTotalIsZero
            && violation.Description == "All USD accounts total 100, not 0.");
    }

    [Fact]
    public void Reports_a_reservation_mismatch_when_reserved_differs_from_the_cashouts_in_flight()
    {
        var cancelled = PendingCashout with { Status = CashoutStatus.Cancelled };

        var violations = LedgerInvariants.Check([Funding, Reservation], ConsistentBalances(), [cancelled]);

        var violation = Assert.Single(violations);
        Assert.Equal(LedgerInvariant.ReservedMatchesCashouts, violation.Invariant);
        Assert.Contains("holds 300 but the merchant's cashouts in Pending, OnHold or Processing debit 0", violation.Description);
    }

    [Theory]
    [InlineData(CashoutStatus.Pending, true)]
    [InlineData(CashoutStatus.OnHold, true)]
    [InlineData(CashoutStatus.Processing, true)]
    [InlineData(CashoutStatus.Completed, false)]
    [InlineData(CashoutStatus.Cancelled, false)]
    [InlineData(CashoutStatus.Failed, false)]
    [InlineData(CashoutStatus.Returned, false)]
    public void Counts_a_cashout_towards_reserved_only_when_its_status_holds_a_reservation(CashoutStatus status, bool holds)
    {
        var violations = LedgerInvariants.Check([Funding, Reservation], ConsistentBalances(), [PendingCashout with { Status = status }]);

        Assert.Equal(holds, violations.Count == 0);
    }
}
