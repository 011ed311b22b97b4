using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.UnitTests.Domain.Support;

namespace Cashout.Portal.UnitTests.Domain.PaymentMethods;

public class PaymentMethodTests
{
    private const string Merchant = "m-1";
    private const string Reference = "SE0000000000000000000001";
    private static readonly DateTimeOffset Now = Sample.Friday;
    private static readonly BankAccountDetails DutchAccount = new("Jane Doe", "NL91 ABNA 0417 1643 00", null, "nl", Currency.EUR);

    [Fact]
    public void Links_payoneer_when_a_payee_email_is_given()
    {
        var method = PaymentMethod.LinkPayoneer(Merchant, " payee@example.com ", "P-123", Now).Value;

        Assert.Equal(PayoutMethod.Payoneer, method.Method);
        Assert.Equal("payee@example.com", method.PayeeEmail);
        Assert.Equal("P-123", method.PayeeId);
        Assert.Equal("payee@example.com", method.PayeeReference);
        Assert.Equal(Now, method.LinkedAt);
        Assert.True(method.IsLinked);
    }

    [Fact]
    public void Refuses_payoneer_when_the_payee_email_is_missing()
    {
        var result = PaymentMethod.LinkPayoneer(Merchant, null, "P-123", Now);

        var problem = Assert.Single(result.Error.Problems);
        Assert.Equal(new FieldProblem("payeeEmail", "Payee email is required for Payoneer."), problem);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a@@b.com")]
    [InlineData("a b@c.com")]
    [InlineData("@example.com")]
    [InlineData("a@.example.com")]
    public void Refuses_payoneer_when_the_payee_email_is_not_an_email_address(string email)
    {
        var result = PaymentMethod.LinkPayoneer(Merchant, email, null, Now);

        Assert.Equal(new FieldProblem("payeeEmail", "Payee email is not a valid email address."), Assert.Single(result.Error.Problems));
    }

    [Fact]
    public void Links_tipalti_when_only_a_payee_id_is_given()
    {
        var method = PaymentMethod.LinkTipalti(Merchant, null, "payee_42", Now).Value;

        Assert.Equal(PayoutMethod.Tipalti, method.Method);
        Assert.Equal("payee_42", method.PayeeReference);
    }

    [Fact]
    public void Refuses_tipalti_when_neither_email_nor_payee_id_is_given()
    {
        var result = PaymentMethod.LinkTipalti(Merchant, " ", null, Now);

        Assert.Equal("Tipalti needs a payee email or a payee id.", Assert.Single(result.Error.Problems).Message);
    }

    [Fact]
    public void Refuses_with_every_problem_at_once_when_several_fields_are_wrong()
    {
        var result = PaymentMethod.LinkTipalti(Merchant, "nope", "bad id!", Now);

        Assert.Equal(["payeeEmail", "payeeId"], result.Error.Problems.Select(problem => problem.Field));
    }

    [Fact]
    public void Links_a_bank_account_with_normalised_details_when_the_IBAN_is_valid()
    {
        var method = PaymentMethod.LinkBank(Merchant, DutchAccount, Reference, supportsInstant: true, Now).Value;

        Assert.Equal(PayoutMethod.Bank, method.Method);
        Assert.Equal("NL91ABNA0417164300", method.BankAccount!.Iban);
        Assert.Equal("NL", method.BankAccount.Country);
        Assert.Equal(Currency.EUR, method.BankAccount.Currency);
        Assert.Equal(Reference, method.TransferInstrumentId);
        Assert.Equal(Reference, method.PayeeReference);
        Assert.True(method.SupportsInstant);
        Assert.Equal(new QuoteOption(PayoutMethod.Bank, InstantRoute: true), method.ToQuoteOption());
    }

    [Fact]
    public void Links_a_bank_account_when_an_account_number_is_given_instead_of_an_IBAN()
    {
        var details = new BankAccountDetails("Acme Inc", null, "000123456789", "US", Currency.USD);

        Assert.True(PaymentMethod.LinkBank(Merchant, details, "US0000000000000000000007", supportsInstant: false, Now).IsSuccess);
    }

    [Fact]
    public void Refuses_a_bank_account_with_field_messages_when_details_are_missing_or_invalid()
    {
        var details = new BankAccountDetails(" ", null, null, "Sweden", Currency.EUR);

        var result = PaymentMethod.LinkBank(Merchant, details, "SE1", supportsInstant: false, Now);

        Assert.Equal(
            [
                new FieldProblem("holderName", "Account holder name is required."),
                new FieldProblem("iban", "Give an IBAN or an account number."),
                new FieldProblem("country", "Country must be a two-letter ISO code, like NL or US."),
                new FieldProblem("transferInstrumentId", "The transfer instrument reference must be a country code and 22 digits."),
            ],
            result.Error.Problems);
    }

    [Theory]
    [InlineData("NL91ABNA0417164301")] // wrong check digits
    [InlineData("NL91ABNA04171")]      // too short
    [InlineData("1291ABNA0417164300")] // no country letters
    public void Refuses_a_bank_account_when_the_IBAN_fails_its_check(string iban)
    {
        var result = PaymentMethod.LinkBank(Merchant, DutchAccount with { Iban = iban }, Reference, supportsInstant: false, Now);

        Assert.Equal("iban", Assert.Single(result.Error.Problems).Field);
    }

    [Theory]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("DE89370400440532013000")]
    [InlineData("SE4550000000058398257466")]
    public void Accepts_an_IBAN_when_its_mod_97_check_passes(string iban)
    {
        Assert.True(PayeeDetails.IsValidIban(iban));
    }

    [Fact]
    public void Unlinks_when_no_cashout_is_in_flight()
    {
        var method = PaymentMethod.LinkPayoneer(Merchant, "payee@example.com", null, Now).Value;

        var result = method.Unlink(hasCashoutInFlight: false, Now.AddDays(2));

        Assert.True(result.IsSuccess);
        Assert.False(method.IsLinked);
        Assert.Equal(Now.AddDays(2), method.UnlinkedAt);
    }

    [Fact]
    public void Refuses_to_unlink_when_a_cashout_using_it_is_in_flight()
    {
        var method = PaymentMethod.LinkPayoneer(Merchant, "payee@example.com", null, Now).Value;

        var result = method.Unlink(hasCashoutInFlight: true, Now);

        Assert.Equal(PaymentMethod.CashoutInFlightCode, result.Error.Code);
        Assert.Equal("The payoneer method cannot be unlinked while a cashout using it is in flight.", result.Error.Message);
        Assert.True(method.IsLinked);
    }

    [Fact]
    public void Refuses_to_unlink_when_already_unlinked()
    {
        var method = PaymentMethod.LinkPayoneer(Merchant, "payee@example.com", null, Now).Value;
        method.Unlink(hasCashoutInFlight: false, Now);

        var result = method.Unlink(hasCashoutInFlight: false, Now.AddHours(1));

        Assert.Equal("Payment method not linked", result.Error.Message);
        Assert.Equal(Now, method.UnlinkedAt);
    }

    [Fact]
    public void Shows_the_new_link_notice_only_when_linked_less_than_the_cooling_off_period_ago()
    {
        var method = PaymentMethod.LinkPayoneer(Merchant, "payee@example.com", null, Now).Value;

        Assert.True(method.IsNewlyLinked(Now.AddHours(23), PaymentMethod.DefaultCoolingOff));
        Assert.False(method.IsNewlyLinked(Now.AddHours(24), PaymentMethod.DefaultCoolingOff));
    }

    [Fact]
    public void Records_instant_support_only_when_the_method_is_a_bank_account()
    {
        var bank = PaymentMethod.LinkBank(Merchant, DutchAccount, Reference, supportsInstant: false, Now).Value;
        var payoneer = PaymentMethod.LinkPayoneer(Merchant, "payee@example.com", null, Now).Value;

        bank.RecordInstantRouteCheck(true);
        payoneer.RecordInstantRouteCheck(true);

        Assert.True(bank.SupportsInstant);
        Assert.False(payoneer.SupportsInstant);
    }

    [Fact]
    public void Builds_the_Adyen_style_reference_when_creating_a_transfer_instrument_id()
    {
        Assert.Equal("SE0000000000000000000001", TransferInstrumentReference.Create("SE", 1));
        Assert.True(TransferInstrumentReference.IsValid("SE0000000000000000000001"));
        Assert.False(TransferInstrumentReference.IsValid("se0000000000000000000001"));
        Assert.Throws<ArgumentException>(() => TransferInstrumentReference.Create("Sweden", 1));
    }

    [Theory]
    [InlineData("payoneer", PayoutMethod.Payoneer)]
    [InlineData("TIPALTI", PayoutMethod.Tipalti)]
    [InlineData(" bank ", PayoutMethod.Bank)]
    public void Parses_the_API_name_when_it_names_a_method(string name, PayoutMethod expected)
    {
        Assert.True(PayoutMethodNames.TryParseApiName(name, out var method));
        Assert.Equal(expected, method);
        Assert.Equal(name.Trim().ToLowerInvariant(), method.ToApiName());
    }

    [Theory]
    [InlineData("paypal")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("0")]
    public void Refuses_to_parse_the_API_name_when_it_names_no_method(string? name)
    {
        Assert.False(PayoutMethodNames.TryParseApiName(name, out _));
    }
}
