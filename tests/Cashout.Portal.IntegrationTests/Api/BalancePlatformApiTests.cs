using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.BalancePlatform;
using Cashout.Portal.Balances;
using Cashout.Portal.Data;
using Cashout.Portal.PaymentMethods;
using Microsoft.EntityFrameworkCore;

using Cashout.Portal.IntegrationTests.Infrastructure;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>Family B over real HTTP: Adyen shapes, problem details with the reference's titles and messages.</summary>
public sealed class BalancePlatformApiTests : ApiTest
{
    private const string Account = DemoSeed.BalanceAccountId;

    [Fact]
    public async Task Balance_account_lists_available_pending_reserved_and_pending_available()
    {
        var body = await ExpectAsync(await FamilyBAsync(HttpMethod.Get, $"/balanceAccounts/{Account}"), 200);

        Assert.Equal(Account, body["id"]!.GetValue<string>());
        var usd = body["balances"]!.AsArray().Single()!;
        Assert.Equal("USD", usd["currency"]!.GetValue<string>());
        Assert.Equal(MerchantAvailable, usd["available"]!.GetValue<long>());
        Assert.Equal(MerchantPending, usd["pending"]!.GetValue<long>());
        Assert.Equal(0, usd["reserved"]!.GetValue<long>());
        Assert.Equal(MerchantAvailable, usd["balance"]!.GetValue<long>());
        Assert.Equal(MerchantAvailable + MerchantPending, usd["pendingAvailable"]!.GetValue<long>());
    }

    [Fact]
    public async Task Another_merchants_or_an_unknown_balance_account_is_404_problem_details()
    {
        var response = await FamilyBAsync(HttpMethod.Get, "/balanceAccounts/BA99999999999999999999999");

        var problem = await ExpectAsync(response, 404);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Could not find balance account with id: BA99999999999999999999999", problem["detail"]!.GetValue<string>());
        Assert.Equal(404, problem["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("demo_login:wrong")]
    [InlineData("demo_login")]
    [InlineData("")]
    public async Task Requests_are_401_problem_details_when_the_api_key_is_wrong(string apiKey)
    {
        var problem = await ExpectAsync(await FamilyBAsync(HttpMethod.Get, $"/balanceAccounts/{Account}", apiKey: apiKey), 401);

        Assert.Equal("Unauthorized", problem["title"]!.GetValue<string>());
        Assert.Equal("00_401", problem["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cashout_without_counterparty_makes_pending_funds_available_and_charges_the_fee_on_top()
    {
        var response = await FamilyBAsync(HttpMethod.Post, "/cashouts", new
        {
            instructingBalanceAccountId = Account,
            amount = new { value = 10_000, currency = "USD" },
            fee = new { amount = new { value = BankFee, currency = "USD" } },
        });

        var body = await ExpectAsync(response, 200);
        Assert.Equal("booked", body["status"]!.GetValue<string>());
        Assert.Equal(10_000, body["amount"]!["value"]!.GetValue<long>());
        Assert.Equal(BankFee, body["fee"]!["amount"]!["value"]!.GetValue<long>());
        Assert.Equal(["cashoutRepayment", "cashoutFee"], body["transfers"]!.AsArray().Select(t => t!["type"]!.GetValue<string>()));
        Assert.Equal(new UsdBalances(MerchantAvailable + 10_000, MerchantPending - 10_000 - BankFee, 0), await BalancesAsync());
        Assert.Equal(BankFee, await AccountBalanceAsync(LedgerAccountKey.PlatformFeeRevenue(Currency.USD)));
        var unsettled = await Portal.WithDbAsync(db => db.PendingFundings.Where(f => f.SettledAt == null).SumAsync(f => f.Amount));
        Assert.Equal(MerchantPending - 10_000 - BankFee, unsettled);
    }

    [Fact]
    public async Task A_cashout_without_counterparty_settles_only_the_rest_later_when_the_settle_job_runs()
    {
        await ExpectAsync(await CashoutToBalanceAsync(60_000), 200);
        Portal.Clock.Advance(TimeSpan.FromDays(8));

        Assert.Equal(1, await Use<SettleDueFunds, int>(settle => settle.HandleAsync()));

        Assert.Equal(new UsdBalances(MerchantAvailable + MerchantPending - BankFee, 0, 0), await BalancesAsync());
    }

    [Fact]
    public async Task A_cashout_over_the_pending_balance_is_422_amount_exceeds_pending_balance()
    {
        var before = await SnapshotAsync();

        var problem = await ExpectAsync(await CashoutToBalanceAsync(MerchantPending), 422); // the amount is all of pending; the fee is on top

        Assert.Equal(BalancePlatformApi.ValidationTitle, problem["title"]!.GetValue<string>());
        Assert.Equal("Amount exceeds pending balance : USD 1000.00", problem["detail"]!.GetValue<string>());
        Assert.Equal(before with { DeclinedAttempts = 0 }, await SnapshotAsync() with { DeclinedAttempts = 0 });
    }

    [Theory]
    [InlineData(10_000, "XXX", 100, "USD", "amount", "Invalid amount")]
    [InlineData(-10, "USD", 0, "USD", "amount", "Invalid amount")]
    [InlineData(10_000, "USD", 100, "JPY", "fee.amount", "Invalid fee amount")]
    [InlineData(10_000, "USD", 10_001, "USD", "fee.amount", "Invalid fee amount")]
    [InlineData(10_000, "USD", -1, "USD", "fee.amount", "Invalid fee amount")]
    [InlineData(10_000, "USD", 0, "USD", "fee.amount", "Invalid fee amount")] // the caller cannot waive the platform's fee
    [InlineData(10_000, "USD", BankFee - 1, "USD", "fee.amount", "Invalid fee amount")]
    [InlineData(10_000, "USD", BankFee + 1, "USD", "fee.amount", "Invalid fee amount")]
    [InlineData(10_000, "USD", 100, "EUR", "fee.amount.currency", "Fee amount has a different currency than instruction amount")]
    [InlineData(99, "USD", BankFee, "USD", "amount", "Minimum required amount not reached")]
    public async Task Configuration_errors_name_the_field_with_the_references_message(long value, string currency, long fee, string feeCurrency, string field, string message)
    {
        var before = await SnapshotAsync();

        var problem = await ExpectAsync(await FamilyBAsync(HttpMethod.Post, "/cashouts", new
        {
            instructingBalanceAccountId = Account,
            amount = new { value, currency },
            fee = new { amount = new { value = fee, currency = feeCurrency } },
        }), 422);

        Assert.Equal(BalancePlatformApi.ConfigurationTitle, problem["title"]!.GetValue<string>());
        var invalid = problem["invalidFields"]!.AsArray().Single()!;
        Assert.Equal((field, message), (invalid["name"]!.GetValue<string>(), invalid["message"]!.GetValue<string>()));
        Assert.Equal(before with { DeclinedAttempts = 0 }, await SnapshotAsync() with { DeclinedAttempts = 0 });
    }

    [Fact]
    public async Task An_unknown_transfer_instrument_is_422_could_not_find_transfer_instrument()
    {
        var problem = await ExpectAsync(await FamilyBAsync(HttpMethod.Post, "/cashouts", new
        {
            instructingBalanceAccountId = Account,
            amount = new { value = 10_000, currency = "USD" },
            counterparty = new { transferInstrumentId = "SE0000000000000000000001" },
        }), 422);

        Assert.Equal(BalancePlatformApi.ValidationTitle, problem["title"]!.GetValue<string>());
        Assert.Equal("Could not find transfer instrument with reference: SE0000000000000000000001", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_fields_are_listed_in_invalid_fields()
    {
        var problem = await ExpectAsync(await FamilyBAsync(HttpMethod.Post, "/cashouts", new { amount = new { value = "ten" } }), 422);

        var names = problem["invalidFields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["instructingBalanceAccountId", "amount.value", "amount.currency"], names);
    }

    [Fact]
    public async Task A_cashout_to_a_transfer_instrument_draws_on_pending_for_what_available_lacks_and_charges_amount_plus_fee()
    {
        var instrument = await LinkBankAsync(instant: false);

        var body = await ExpectAsync(await FamilyBAsync(HttpMethod.Post, "/cashouts", new
        {
            instructingBalanceAccountId = Account,
            amount = new { value = 550_000, currency = "USD" },
            counterparty = new { transferInstrumentId = instrument },
            description = "Weekly cashout",
            fee = new { amount = new { value = BankFee, currency = "USD" } },
        }), 200);

        Assert.Equal("received", body["status"]!.GetValue<string>());
        Assert.Equal(["bankTransfer", "cashoutRepayment", "cashoutFee"], body["transfers"]!.AsArray().Select(t => t!["type"]!.GetValue<string>()));
        var cashout = await CashoutAsync(long.Parse(body["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((550_000L, BankFee, 550_000L + BankFee, 550_000L), (cashout.Amount.MinorUnits, cashout.Fee.MinorUnits, cashout.Debit.MinorUnits, cashout.NetPayout.MinorUnits));
        Assert.Equal(new UsdBalances(0, MerchantPending - 50_000 - BankFee, 550_000 + BankFee), await BalancesAsync());
        Assert.Equal(1, await LedgerTransactionCountAsync(cashout.Id, LedgerTransactionKind.SettleEarly));
    }

    [Fact]
    public async Task Transfer_routes_have_no_instant_route_when_the_banks_route_check_found_none()
    {
        var instrument = await LinkBankAsync(instant: false);
        var request = new { balanceAccountId = Account, counterparty = new { transferInstrumentId = instrument }, currency = "USD", category = "bank", priorities = new[] { "instant" } };

        var problem = await ExpectAsync(await FamilyBAsync(HttpMethod.Post, "/transferRoutes/calculate", request), 422);
        Assert.Equal($"No instant route found for transfer instrument id: {instrument}", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transfer_routes_list_instant_when_the_banks_route_check_found_one_at_linking()
    {
        var instrument = await LinkBankAsync(instant: true);
        var request = new { balanceAccountId = Account, counterparty = new { transferInstrumentId = instrument }, currency = "USD", category = "bank", priorities = new[] { "instant" } };

        var routes = await ExpectAsync(await FamilyBAsync(HttpMethod.Post, "/transferRoutes/calculate", request), 200);
        Assert.Equal("instant", routes["transferRoutes"]!.AsArray().Single()!["priority"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retried_cashout_with_the_same_idempotency_key_moves_money_once()
    {
        var first = await CashoutToBalanceAsync(10_000, idempotencyKey: "b-1");
        var second = await CashoutToBalanceAsync(10_000, idempotencyKey: "b-1");

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(new UsdBalances(MerchantAvailable + 10_000, MerchantPending - 10_000 - BankFee, 0), await BalancesAsync());
    }

    [Fact]
    public async Task A_cashout_that_names_no_fee_is_charged_the_configured_fee_and_one_naming_zero_books_nothing()
    {
        var before = await SnapshotAsync();
        var waived = await ExpectAsync(await FamilyBAsync(HttpMethod.Post, "/cashouts", new
        {
            instructingBalanceAccountId = Account,
            amount = new { value = 10_000, currency = "USD" },
            fee = new { amount = new { value = 0, currency = "USD" } },
        }), 422);
        Assert.Equal("Invalid fee amount", waived["detail"]!.GetValue<string>());
        Assert.Equal(before with { DeclinedAttempts = 0 }, await SnapshotAsync() with { DeclinedAttempts = 0 });

        var body = await ExpectAsync(await CashoutToBalanceAsync(10_000), 200);

        Assert.Equal(BankFee, body["fee"]!["amount"]!["value"]!.GetValue<long>());
        Assert.Equal(BankFee, await AccountBalanceAsync(LedgerAccountKey.PlatformFeeRevenue(Currency.USD)));
    }

    /// <summary>The platform's configured fee for a bank cashout (FeeSchedule.Default): a family-B request may name it, never change it.</summary>
    private const long BankFee = 50;

    /// <summary>A cashout to the balance that names no fee: the platform charges its configured one.</summary>
    private Task<HttpResponseMessage> CashoutToBalanceAsync(long value, string? idempotencyKey = null) =>
        FamilyBAsync(HttpMethod.Post, "/cashouts", new
        {
            instructingBalanceAccountId = Account,
            amount = new { value, currency = "USD" },
        }, idempotencyKey: idempotencyKey);

    /// <summary>
    /// Links a bank account; the sandbox bank's route check offers instant payouts to Swedish accounts, not to US ones.
    /// </summary>
    private async Task<string> LinkBankAsync(bool instant)
    {
        var command = instant
            ? new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Bank, HolderName: "Demo Merchant", Iban: "SE4550000000058398257466", Country: "SE", Currency: Currency.USD)
            : new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Bank, HolderName: "Demo Merchant", AccountNumber: "000123456789", Country: "US", Currency: Currency.USD);
        var linked = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(link => link.HandleAsync(Merchant, command));
        AssertSucceeded(linked.Result);
        Assert.Equal(instant, linked.Method!.SupportsInstant);
        return linked.Method.TransferInstrumentId!;
    }
}
