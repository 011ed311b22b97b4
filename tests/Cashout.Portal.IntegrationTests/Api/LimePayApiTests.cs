using System.Text;
using System.Text.Json;
using Cashout.Portal.Api.Credentials;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Api.LimePay;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using Cashout.Portal.IntegrationTests.Infrastructure;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>Family C over real HTTP: body credentials, Payload-Signature, status codes 0-5, 401/412/400.</summary>
public sealed class LimePayApiTests : ApiTest
{
    [Fact]
    public async Task Create_makes_a_cashout_with_the_external_id_and_status_finds_it_by_either_id()
    {
        await LinkPayoneerAsync();

        var created = await ExpectAsync(await CreateAsync("order-1"), 200);

        var id = created["cashout_id"]!.GetValue<long>();
        Assert.Equal((0, "Pending"), (created["cashout_status"]!.GetValue<int>(), created["cashout_status_description"]!.GetValue<string>()));
        var byExternal = await ExpectAsync(await StatusCAsync(new { external_id = "order-1" }), 200);
        Assert.Equal(0, byExternal["cashout_status"]!.GetValue<int>());
        var byId = await ExpectAsync(await StatusCAsync(new { cashout_id = id }), 200);
        Assert.Equal("order-1", byId["external_id"]!.GetValue<string>());
        Assert.False(byId.ContainsKey("rejection_code"));
    }

    [Fact]
    public async Task Create_on_hold_then_put_pending_and_on_hold_move_the_merchants_own_hold()
    {
        await LinkPayoneerAsync();
        var id = (await ExpectAsync(await CreateAsync("order-2", onHold: true), 200))["cashout_id"]!.GetValue<long>();
        Assert.Equal((5, "On hold"), await StatusOf(id));

        var released = await ExpectAsync(await FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { cashout_id = id, status = "PENDING" })), 200);
        Assert.Equal(0, released["cashout_status"]!.GetValue<int>());

        var held = await ExpectAsync(await FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { cashout_id = id, status = "ON_HOLD" })), 200);
        Assert.Equal(5, held["cashout_status"]!.GetValue<int>());
        Assert.Equal(LimePayApi.MerchantHoldReason, (await CashoutAsync(id)).HoldReason);
    }

    [Fact]
    public async Task Put_pending_is_400_when_an_admin_placed_the_hold_and_put_needs_a_known_status()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        AssertSucceeded(await Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, cashout.Id, "Manual review")));

        var refused = await ExpectAsync(await FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { cashout_id = cashout.Id, status = "PENDING" })), 400);
        Assert.Equal("This cashout was put on hold by an admin: only an admin can release or cancel it.", refused["description"]!.GetValue<string>());

        var unknown = await ExpectAsync(await FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { cashout_id = cashout.Id, status = "COMPLETED" })), 400);
        Assert.Equal("status must be ON_HOLD or PENDING", unknown["description"]!.GetValue<string>());
        Assert.Equal(CashoutStatus.OnHold, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task Cancel_of_a_cashout_the_merchant_put_on_hold_itself_is_code_2_cancelled_and_returns_the_funds()
    {
        await LinkPayoneerAsync();
        var id = (await ExpectAsync(await CreateAsync("order-own-hold"), 200))["cashout_id"]!.GetValue<long>();
        await ExpectAsync(await FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { cashout_id = id, status = "ON_HOLD" })), 200);
        Assert.Equal((5, "On hold"), await StatusOf(id));

        var cancelled = await ExpectAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { cashout_id = id })), 200);

        Assert.Equal((2, "Cancelled"), (cancelled["cashout_status"]!.GetValue<int>(), cancelled["cashout_status_description"]!.GetValue<string>()));
        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending, 0), await BalancesAsync());
        Assert.Equal(CashoutStatus.Cancelled, (await CashoutAsync(id)).Status);
    }

    [Fact]
    public async Task Cancel_of_a_cashout_an_admin_put_on_hold_is_400_with_who_may_and_changes_nothing()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        AssertSucceeded(await Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, cashout.Id, "Manual review")));
        var before = await SnapshotAsync();
        var balances = await BalancesAsync();

        var refused = await ExpectAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { cashout_id = cashout.Id })), 400);

        Assert.Equal("This cashout was put on hold by an admin: only an admin can release or cancel it.", refused["description"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(balances, await BalancesAsync());
        var held = await CashoutAsync(cashout.Id);
        Assert.Equal((CashoutStatus.OnHold, "Manual review"), (held.Status, held.HoldReason));
    }

    [Fact]
    public async Task Cancel_returns_the_funds_and_a_second_cancel_is_400_invalid_transition()
    {
        await LinkPayoneerAsync();
        var id = (await ExpectAsync(await CreateAsync("order-3"), 200))["cashout_id"]!.GetValue<long>();

        var cancelled = await ExpectAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { external_id = "order-3" })), 200);

        Assert.Equal((2, "Cancelled"), (cancelled["cashout_status"]!.GetValue<int>(), cancelled["cashout_status_description"]!.GetValue<string>()));
        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending, 0), await BalancesAsync());
        var again = await ExpectAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { cashout_id = id })), 400);
        Assert.Equal("A cashout that is cancelled cannot be cancelled.", again["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_reports_delivered_then_rejected_with_the_providers_code_and_reason()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_013);
        AssertSucceeded(await SubmitAsync(cashout.Id));
        Assert.Equal((4, "Delivered"), await StatusOf(cashout.Id));

        AssertSucceeded(await Provider(p => p.FailAsync(ProviderWebhook, cashout.Id, "808", "ERROR_OTHER")));

        var rejected = await ExpectAsync(await StatusCAsync(new { cashout_id = cashout.Id }), 200);
        Assert.Equal((3, "Rejected", 808, "ERROR_OTHER"), (rejected["cashout_status"]!.GetValue<int>(), rejected["cashout_status_description"]!.GetValue<string>(), rejected["rejection_code"]!.GetValue<int>(), rejected["rejection_reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Status_is_1_completed_after_the_provider_confirms()
    {
        await LinkPayoneerAsync();
        var cashout = await CompletedCashoutAsync(10_000);

        Assert.Equal((1, "Completed"), await StatusOf(cashout.Id));
    }

    [Fact]
    public async Task A_wrong_missing_or_uppercase_truncated_signature_is_401_and_changes_nothing()
    {
        await LinkPayoneerAsync();
        var body = CBody(new { external_id = "sig", amount = 10_000, method = "payoneer" });
        var before = await SnapshotAsync();

        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", body, signature: LimePayApi.Sign("another_secret", Encoding.UTF8.GetBytes(body))), 401, LimePayApi.InvalidSignatureMessage);
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", body, signature: ""), 401, LimePayApi.InvalidSignatureMessage);
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", body, signature: LimePayApi.Sign(Secret, Encoding.UTF8.GetBytes(body))[..63]), 401, LimePayApi.InvalidSignatureMessage);
        // The signature covers the exact bytes: the same JSON with one more space does not match.
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", body + " ", signature: LimePayApi.Sign(Secret, Encoding.UTF8.GetBytes(body))), 401, LimePayApi.InvalidSignatureMessage);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Rotating_the_credentials_makes_the_old_ones_fail_on_the_very_next_request()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        await ExpectAsync(await StatusCAsync(new { cashout_id = cashout.Id }), 200); // the credential is now known to the API's process

        IssuedApiCredentials rotated;
        await using (var scope = Portal.KestrelServices.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<IssueApiCredentials>().HandleAsync(Merchant, MerchantId);
            AssertSucceeded(outcome.Result);
            rotated = outcome.Issued!;
        }

        await ExpectCErrorAsync(await StatusCAsync(new { cashout_id = cashout.Id }), 401, "Invalid API credentials");
        var withNewPass = JsonSerializer.Serialize(new { login = rotated.Login, pass = rotated.Pass, cashout_id = cashout.Id });
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", withNewPass, signature: LimePayApi.Sign(Secret, Encoding.UTF8.GetBytes(withNewPass))), 401, LimePayApi.InvalidSignatureMessage);
        await ExpectAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", withNewPass, signature: LimePayApi.Sign(rotated.SignatureSecret, Encoding.UTF8.GetBytes(withNewPass))), 200);
    }

    [Fact]
    public async Task Bad_credentials_in_the_body_are_401()
    {
        var body = """{"login":"demo_login","pass":"nope","cashout_id":1}""";

        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", body), 401, "Invalid API credentials");
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", """{"cashout_id":1}"""), 401, "Invalid API credentials");
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", """{"login":5,"pass":true,"cashout_id":1}"""), 401, "Invalid API credentials");
    }

    [Fact]
    public async Task An_unknown_or_another_merchants_cashout_is_412()
    {
        await ExpectCErrorAsync(await StatusCAsync(new { cashout_id = 424242 }), 412, LimePayApi.NotFoundMessage);
        await ExpectCErrorAsync(await StatusCAsync(new { external_id = "nope" }), 412, LimePayApi.NotFoundMessage);
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { cashout_id = 424242 })), 412, LimePayApi.NotFoundMessage);

        var otherId = await CreateFundedMerchantAsync("other@cashout.test", 100_000);
        var theirs = await RequestAsync(10_000, merchantId: otherId);
        await ExpectCErrorAsync(await StatusCAsync(new { cashout_id = theirs.Id }), 412, LimePayApi.NotFoundMessage);
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { cashout_id = theirs.Id, status = "ON_HOLD" })), 412, LimePayApi.NotFoundMessage);
        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(theirs.Id)).Status);
    }

    [Theory]
    [InlineData("""{"login":"demo_login","pass":"demo_pass"}""", "cashout_id or external_id is required")]
    [InlineData("""{"login":"demo_login","pass":"demo_pass","cashout_id":"12"}""", "cashout_id must be an integer (minor units)")]
    [InlineData("""{"login":"demo_login","pass":"demo_pass","external_id":12}""", "external_id must be a string")]
    [InlineData("""{"login":"demo_login","pass":"demo_pass",""", "Malformed JSON: send a JSON object (at most 16 levels deep, each property once)")]
    public async Task Malformed_status_requests_are_400_with_a_clear_description(string json, string description)
    {
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", json), 400, description);
    }

    [Fact]
    public async Task Create_is_400_for_a_duplicate_external_id_and_for_each_declining_rule()
    {
        await LinkPayoneerAsync();
        await ExpectAsync(await CreateAsync("dup"), 200);

        await ExpectCErrorAsync(await CreateAsync("dup"), 400, "A cashout with external id 'dup' already exists.");
        await ExpectCErrorAsync(await CreateAsync("second"), 400, "Pending cashout exists");
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", CBody(new { external_id = "x", amount = 10_000, method = "payoneer", currency = "JPY" })), 400, "currency must be one of USD, EUR, GBP, AUD");
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", CBody(new { external_id = "x", amount = 10_000, method = "cash" })), 400, "method must be payoneer, tipalti or bank");
        await ExpectCErrorAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", CBody(new { external_id = "x", amount = 10_000, method = "payoneer", on_hold = "yes" })), 400, "on_hold must be true or false");
        Assert.Equal(1, await Portal.WithDbAsync(db => db.Cashouts.CountAsync()));
    }

    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_creates_one_cashout()
    {
        await LinkPayoneerAsync();
        var body = CBody(new { external_id = "idem", amount = 10_000, method = "payoneer" });

        var first = await FamilyCAsync(HttpMethod.Post, "/v3/cashout", body, idempotencyKey: "c-1");
        var second = await FamilyCAsync(HttpMethod.Post, "/v3/cashout", body, idempotencyKey: "c-1");

        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await Portal.WithDbAsync(db => db.Cashouts.CountAsync()));
    }

    private Task<HttpResponseMessage> CreateAsync(string externalId, bool onHold = false) =>
        FamilyCAsync(HttpMethod.Post, "/v3/cashout", CBody(new { external_id = externalId, amount = 10_000, currency = "USD", method = "payoneer", on_hold = onHold }));

    private async Task<(int, string)> StatusOf(long id)
    {
        var body = await ExpectAsync(await StatusCAsync(new { cashout_id = id }), 200);
        return (body["cashout_status"]!.GetValue<int>(), body["cashout_status_description"]!.GetValue<string>());
    }

    private static async Task ExpectCErrorAsync(HttpResponseMessage response, int status, string description)
    {
        var body = await ExpectAsync(response, status);
        Assert.Equal(status, body["code"]!.GetValue<int>());
        Assert.Equal(description, body["description"]!.GetValue<string>());
    }
}
