using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.UnitTests.Domain.Ledger;

public class LedgerTransactionTests
{
    private const string Merchant = "m-1";
    private static readonly LedgerAccountKey Available = LedgerAccountKey.MerchantAvailable(Merchant, Currency.USD);
    private static readonly LedgerAccountKey Reserved = LedgerAccountKey.MerchantReserved(Merchant, Currency.USD);

    [Fact]
    public void Refuses_to_exist_when_entries_do_not_sum_to_zero()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LedgerTransaction(
            LedgerTransactionKind.ReserveForCashout, "test", [new LedgerEntry(Available, -100), new LedgerEntry(Reserved, 99)]));

        Assert.Contains("USD entries sum to -1, not 0", error.Message);
    }

    [Fact]
    public void Refuses_to_exist_when_an_entry_is_zero()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LedgerTransaction(
            LedgerTransactionKind.ReserveForCashout, "test", [new LedgerEntry(Available, -100), new LedgerEntry(Reserved, 100), new LedgerEntry(Reserved, 0)]));

        Assert.Contains("zero-amount entry on merchant:m-1:reserved:USD", error.Message);
    }

    [Fact]
    public void Refuses_to_exist_when_it_has_fewer_than_two_entries()
    {
        Assert.Throws<InvalidOperationException>(() => new LedgerTransaction(LedgerTransactionKind.Settle, "test", []));
    }

    [Fact]
    public void Refuses_to_exist_when_currencies_balance_only_across_each_other()
    {
        // +100 USD and -100 EUR sum to zero as numbers, but not per currency.
        Assert.Throws<InvalidOperationException>(() => new LedgerTransaction(
            LedgerTransactionKind.Settle,
            "test",
            [new LedgerEntry(Available, 100), new LedgerEntry(LedgerAccountKey.MerchantAvailable(Merchant, Currency.EUR), -100)]));
    }

    [Fact]
    public void Exists_when_each_currency_balances_on_its_own()
    {
        var transaction = new LedgerTransaction(
            LedgerTransactionKind.Settle,
            "two currencies",
            [
                new LedgerEntry(Available, 100),
                new LedgerEntry(Reserved, -100),
                new LedgerEntry(LedgerAccountKey.MerchantAvailable(Merchant, Currency.EUR), 5),
                new LedgerEntry(LedgerAccountKey.MerchantReserved(Merchant, Currency.EUR), -5),
            ]);

        Assert.Equal(4, transaction.Entries.Count);
    }

    [Fact]
    public void Names_accounts_readably_when_printed()
    {
        Assert.Equal("merchant:m-1:available:USD", Available.ToString());
        Assert.Equal("merchant:m-1:pending:EUR", LedgerAccountKey.MerchantPending(Merchant, Currency.EUR).ToString());
        Assert.Equal("platform-fee-revenue:GBP", LedgerAccountKey.PlatformFeeRevenue(Currency.GBP).ToString());
        Assert.Equal("provider-clearing:tipalti:AUD", LedgerAccountKey.ProviderClearing(PayoutMethod.Tipalti, Currency.AUD).ToString());
        Assert.Equal("external-funding:USD", LedgerAccountKey.ExternalFunding(Currency.USD).ToString());
    }

    [Fact]
    public void Compares_keys_by_value_when_used_as_dictionary_keys()
    {
        Assert.Equal(LedgerAccountKey.MerchantAvailable(Merchant, Currency.USD), Available);
        Assert.NotEqual(LedgerAccountKey.MerchantAvailable(Merchant, Currency.EUR), Available);
        Assert.NotEqual(LedgerAccountKey.MerchantAvailable("m-2", Currency.USD), Available);
    }

    [Theory]
    [InlineData(LedgerAccountKind.MerchantAvailable, true)]
    [InlineData(LedgerAccountKind.MerchantPending, true)]
    [InlineData(LedgerAccountKind.MerchantReserved, true)]
    [InlineData(LedgerAccountKind.PlatformFeeRevenue, false)]
    [InlineData(LedgerAccountKind.ProviderClearing, false)]
    [InlineData(LedgerAccountKind.ExternalFunding, false)]
    public void Says_whether_an_account_kind_must_stay_non_negative(LedgerAccountKind kind, bool expected)
    {
        Assert.Equal(expected, kind.MustStayNonNegative());
    }
}
