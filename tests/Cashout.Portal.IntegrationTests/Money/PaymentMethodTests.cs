using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.PaymentMethods;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>Linking and unlinking payout methods: field problems write nothing, in-flight cashouts block unlinking, both send a security email.</summary>
public sealed class PaymentMethodTests : MoneyTest
{
    [Fact]
    public async Task Linking_payoneer_tipalti_and_bank_stores_each_method_and_queues_a_security_email_for_each()
    {
        var payoneer = await LinkAsync(new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Payoneer, PayeeEmail: " payee@example.com ", PayeeId: "po-7"));
        var tipalti = await LinkAsync(new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Tipalti, PayeeId: "tipalti_42"));
        var bank = await LinkAsync(new LinkPaymentMethodCommand(
            MerchantId, PayoutMethod.Bank, HolderName: "Demo Shop BV", Iban: "nl91 abna 0417 1643 00", Country: "nl", Currency: Currency.EUR));

        Assert.Equal(("payee@example.com", "po-7"), (payoneer.PayeeEmail, payoneer.PayeeId));
        Assert.Equal("tipalti_42", tipalti.PayeeReference);
        Assert.Equal(("NL91ABNA0417164300", "NL", Currency.EUR), (bank.BankAccount!.Iban, bank.BankAccount.Country, bank.BankAccount.Currency));
        Assert.Equal("NL0000000000000000000001", bank.TransferInstrumentId);
        Assert.Equal(3, await Portal.WithDbAsync(db => db.PaymentMethods.CountAsync(m => m.MerchantId == MerchantId && m.UnlinkedAt == null)));
        Assert.Equal(
            ["A Bank transfer payout method was linked to your account", "A Payoneer payout method was linked to your account", "A Tipalti payout method was linked to your account"],
            await SecurityEmailsAsync());
    }

    [Theory]
    [InlineData(PayoutMethod.Payoneer, null, null, null, null, null, null, "payeeEmail")]
    [InlineData(PayoutMethod.Payoneer, "not-an-email", "bad id!", null, null, null, null, "payeeEmail payeeId")]
    [InlineData(PayoutMethod.Tipalti, " ", " ", null, null, null, null, "payeeEmail")]
    [InlineData(PayoutMethod.Bank, null, null, " ", "NL91ABNA0417164301", null, "Netherlands", "holderName iban country")]
    [InlineData(PayoutMethod.Bank, null, null, "Demo Shop BV", null, null, "NL", "iban")]
    [InlineData(PayoutMethod.Bank, null, null, "Demo Shop BV", null, "12", "US", "accountNumber")]
    public async Task Linking_reports_every_field_problem_and_writes_nothing_when_the_details_are_invalid(
        PayoutMethod method, string? email, string? payeeId, string? holder, string? iban, string? accountNumber, string? country, string fields)
    {
        var before = await SnapshotAsync();

        var outcome = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            Merchant, new LinkPaymentMethodCommand(MerchantId, method, email, payeeId, holder, iban, accountNumber, country)));

        AssertRefused(outcome.Result, "invalid_details");
        Assert.Equal(fields.Split(' '), outcome.Problems!.Select(p => p.Field));
        Assert.All(outcome.Problems!, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Linking_is_refused_and_writes_nothing_when_the_merchant_is_not_verified()
    {
        var before = await SnapshotAsync();

        var outcome = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            SteppedUp(NewcomerId), new LinkPaymentMethodCommand(NewcomerId, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com")));

        AssertRefused(outcome.Result, "verification_required");
        Assert.Equal("Account verification required", outcome.Result.Message);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Linking_a_second_method_of_the_same_kind_is_refused_and_writes_nothing()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();

        var outcome = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            Merchant, new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Payoneer, PayeeEmail: "other@example.com")));

        AssertRefused(outcome.Result, "already_linked");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Linking_and_unlinking_are_forbidden_and_write_nothing_when_a_merchant_acts_for_another()
    {
        await LinkPayoneerAsync();
        var intruder = Caller.Merchant(NewcomerId);
        var before = await SnapshotAsync();

        var link = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            intruder, new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Tipalti, PayeeId: "stolen")));
        var unlink = await UnlinkAsync(intruder, PayoutMethod.Payoneer);

        Assert.Equal((CommandStatus.Forbidden, CommandStatus.Forbidden), (link.Result.Status, unlink.Status));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Unlinking_is_refused_while_a_cashout_is_in_flight_and_allowed_once_it_completed()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(100_000);
        await AssertUnlinkRefusedAsync(PaymentMethod.CashoutInFlightCode);
        AssertSucceeded(await SubmitAsync(cashout.Id));
        await AssertUnlinkRefusedAsync(PaymentMethod.CashoutInFlightCode);
        AssertSucceeded(await CompleteAsync(cashout.Id));

        AssertSucceeded(await UnlinkAsync(Merchant, PayoutMethod.Payoneer));

        Assert.NotNull(await Portal.WithDbAsync(db => db.PaymentMethods.Select(m => m.UnlinkedAt).SingleAsync()));
        Assert.Contains("A Payoneer payout method was unlinked from your account", await SecurityEmailsAsync());
        await AssertUnlinkRefusedAsync(PaymentMethod.NotLinkedCode);
        Assert.Equal("Payment method not linked", (await TryRequestAsync(100_000)).Decline?.Message);
    }

    [Fact]
    public async Task Unlinking_is_allowed_when_the_cashout_in_flight_uses_another_method()
    {
        await LinkPayoneerAsync();
        await LinkAsync(new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Tipalti, PayeeEmail: "payee@example.com"));
        await RequestAsync(100_000);

        AssertSucceeded(await UnlinkAsync(Merchant, PayoutMethod.Tipalti));

        Assert.Equal(CashoutStatus.Pending, (await Portal.WithDbAsync(db => db.Cashouts.SingleAsync())).Status);
    }

    [Fact]
    public async Task Link_and_unlink_are_refused_with_re_authentication_required_when_the_merchant_has_not_stepped_up()
    {
        var before = await SnapshotAsync();

        var link = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            Caller.Merchant(MerchantId), new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com")));
        var unlink = await Use<UnlinkPaymentMethod, CommandResult>(u => u.HandleAsync(Caller.Merchant(MerchantId), MerchantId, PayoutMethod.Payoneer));

        Assert.Equal(CommandResult.Refused("step_up_required", "Re-authentication required"), link.Result);
        Assert.Equal(CommandResult.Refused("step_up_required", "Re-authentication required"), unlink);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Link_is_refused_when_the_step_up_is_older_than_five_minutes()
    {
        var steppedUp = Merchant;
        Portal.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var link = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            steppedUp, new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com")));

        Assert.Equal("step_up_required", link.Result.Code);
    }

    [Theory]
    [InlineData("SE4550000000058398257466", null, "SE", true)]
    [InlineData(null, "000123456789", "US", false)]
    public async Task Linking_a_bank_account_records_whether_the_banks_route_check_offers_instant_payouts(string? iban, string? accountNumber, string country, bool instant)
    {
        var bank = await LinkAsync(new LinkPaymentMethodCommand(
            MerchantId, PayoutMethod.Bank, HolderName: "Demo Shop", Iban: iban, AccountNumber: accountNumber, Country: country, Currency: Currency.USD));

        Assert.Equal(instant, bank.SupportsInstant);
        Assert.Equal(instant, await Portal.WithDbAsync(db => db.PaymentMethods.Where(m => m.Id == bank.Id).Select(m => m.SupportsInstant).SingleAsync()));
    }

    [Theory]
    [InlineData(PayoutMethod.Payoneer, "payee+invalid@example.com", null, "payeeEmail", "Payoneer could not verify this account: The payee account does not exist.")]
    [InlineData(PayoutMethod.Tipalti, "billing+invalid@example.com", null, "payeeEmail", "Tipalti could not verify this account: The payee account does not exist.")]
    public async Task Linking_is_refused_and_writes_nothing_when_the_provider_does_not_know_the_account(
        PayoutMethod method, string? email, string? payeeId, string field, string message)
    {
        var before = await SnapshotAsync();

        var outcome = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            Merchant, new LinkPaymentMethodCommand(MerchantId, method, PayeeEmail: email, PayeeId: payeeId)));

        AssertRefused(outcome.Result, LinkPaymentMethod.AccountNotVerifiedCode);
        Assert.Equal(message, outcome.Result.Message);
        Assert.Equal([new(field, message)], outcome.Problems!);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Linking_is_refused_and_writes_nothing_when_the_provider_cannot_be_reached()
    {
        await using var portal = new PortalFactory().WithUnreachableProviders();
        var merchantId = await portal.WithDbAsync(db => db.Users.Where(u => u.Email == "merchant@cashout.test").Select(u => u.Id).SingleAsync());
        var methodsBefore = await portal.WithDbAsync(db => db.PaymentMethods.CountAsync());

        var outcome = await portal.UseAsync<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(
            Caller.Merchant(merchantId) with { SteppedUpAt = portal.Clock.GetUtcNow() },
            new LinkPaymentMethodCommand(merchantId, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com")));

        AssertRefused(outcome.Result, LinkPaymentMethod.ProviderUnavailableCode);
        Assert.Equal("Payoneer could not be reached to check the account. Nothing was linked; try again in a few minutes.", outcome.Result.Message);
        Assert.Equal(methodsBefore, await portal.WithDbAsync(db => db.PaymentMethods.CountAsync()));
    }

    private async Task<PaymentMethod> LinkAsync(LinkPaymentMethodCommand command)
    {
        var outcome = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(Merchant, command));
        AssertSucceeded(outcome.Result);
        return outcome.Method!;
    }

    private Task<CommandResult> UnlinkAsync(Caller caller, PayoutMethod method) =>
        Use<UnlinkPaymentMethod, CommandResult>(u => u.HandleAsync(caller, MerchantId, method));

    private async Task AssertUnlinkRefusedAsync(string code)
    {
        var before = await SnapshotAsync();

        AssertRefused(await UnlinkAsync(Merchant, PayoutMethod.Payoneer), code);

        Assert.Equal(before, await SnapshotAsync());
    }

    private Task<List<string>> SecurityEmailsAsync() => Portal.WithDbAsync(db => db.OutboxMessages
        .Where(m => m.To == "merchant@cashout.test" && m.Kind.StartsWith("security."))
        .OrderBy(m => m.Subject)
        .Select(m => m.Subject)
        .ToListAsync());
}
