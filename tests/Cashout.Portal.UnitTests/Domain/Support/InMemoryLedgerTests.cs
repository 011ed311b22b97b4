using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;

namespace Cashout.Portal.UnitTests.Domain.Support;

public class InMemoryLedgerTests
{
    private static readonly LedgerAccountKey Available = LedgerAccountKey.MerchantAvailable("m-1", Currency.USD);

    [Fact]
    public void Updates_running_balances_when_a_transaction_is_posted()
    {
        var ledger = new InMemoryLedger();

        var refusal = ledger.TryPost(LedgerPostings.FundToAvailable("m-1", new Money(500, Currency.USD)));

        Assert.Null(refusal);
        Assert.Equal(500, ledger.BalanceOf(Available));
        Assert.Equal(-500, ledger.BalanceOf(LedgerAccountKey.ExternalFunding(Currency.USD)));
        Assert.Single(ledger.Transactions);
        Assert.Empty(ledger.CheckInvariants([]));
    }

    [Fact]
    public void Refuses_and_changes_nothing_when_a_transaction_would_overdraw_available()
    {
        var ledger = new InMemoryLedger();
        ledger.TryPost(LedgerPostings.FundToAvailable("m-1", new Money(500, Currency.USD)));

        var refusal = ledger.TryPost(LedgerPostings.ReserveForCashout("m-1", new Money(501, Currency.USD)));

        Assert.Equal("ReserveForCashout would make merchant:m-1:available:USD -1", refusal);
        Assert.Equal(500, ledger.BalanceOf(Available));
        Assert.Single(ledger.Transactions);
    }
}
