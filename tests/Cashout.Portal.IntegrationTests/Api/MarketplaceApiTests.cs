using System.Globalization;
using System.Net.Http.Headers;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

using Cashout.Portal.IntegrationTests.Infrastructure;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>Family A over real HTTP: the reference's example, every published message with DESIGN.md's status.</summary>
public sealed class MarketplaceApiTests : ApiTest
{
    [Fact]
    public async Task Process_returns_the_reference_example_and_family_C_reports_it_pending_when_payoneer_is_linked()
    {
        await LinkPayoneerAsync();

        var body = await ExpectAsync(await FamilyAAsync(HttpMethod.Post, "/cashout/process", new { amount = 100000, method = "payoneer", email = "payment@example.com" }), 200);

        Assert.False(body["err"]!.GetValue<bool>());
        Assert.True(body["success"]!.GetValue<bool>());
        var content = body["content"]!.AsObject();
        Assert.Equal(100000, content["amount"]!.GetValue<long>());
        Assert.Equal("payoneer", content["method"]!.GetValue<string>());
        Assert.Equal(2000, content["fee"]!.GetValue<long>());
        Assert.Equal(98000, content["netAmount"]!.GetValue<long>());
        Assert.Equal("pending", content["status"]!.GetValue<string>());
        Assert.Equal("Cashout request submitted successfully", content["message"]!.GetValue<string>());
        var estimated = long.Parse(content["estimatedCompletion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(estimated, Portal.Clock.GetUtcNow().AddDays(3).ToUnixTimeSeconds(), Portal.Clock.GetUtcNow().AddDays(6).ToUnixTimeSeconds());

        var cashoutId = content["cashoutId"]!.GetValue<long>();
        var status = await ExpectAsync(await StatusCAsync(new { cashout_id = cashoutId }), 200);
        Assert.Equal(0, status["cashout_status"]!.GetValue<int>());
        Assert.Equal("Pending", status["cashout_status_description"]!.GetValue<string>());
        Assert.Equal(new UsdBalances(400_000, 100_000, 100_000), await BalancesAsync());
    }

    [Theory]
    [InlineData("demo_login", "wrong_pass")]
    [InlineData("nobody", "demo_pass")]
    [InlineData("", "")]
    [InlineData("a_login_that_is_far_longer_than_32_chars", "demo_pass")]
    public async Task Process_is_401_with_the_envelope_and_writes_nothing_when_the_credentials_are_wrong(string login, string pass)
    {
        var before = await SnapshotAsync();

        var response = await ProcessAsync(100000, login: login, pass: pass);

        await ExpectAErrorAsync(response, 401, "Invalid API credentials");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Requests_are_401_when_the_authorization_header_is_missing_or_not_basic()
    {
        await ExpectAErrorAsync(await Http.GetAsync("/cashout/balance"), 401, "Invalid API credentials");

        var bearer = new HttpRequestMessage(HttpMethod.Get, "/cashout/balance");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ZGVtb19sb2dpbjpkZW1vX3Bhc3M=");
        await ExpectAErrorAsync(await Http.SendAsync(bearer), 401, "Invalid API credentials");

        var garbage = new HttpRequestMessage(HttpMethod.Get, "/cashout/balance");
        garbage.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64!!!");
        await ExpectAErrorAsync(await Http.SendAsync(garbage), 401, "Invalid API credentials");
    }

    [Fact]
    public async Task Process_is_403_account_verification_required_when_the_merchant_is_not_verified()
    {
        var newcomer = await IssueCredentialsAsync(NewcomerId);

        await ExpectAErrorAsync(await ProcessAsync(100000, login: newcomer.Login, pass: newcomer.Pass), 403, "Account verification required");
    }

    [Fact]
    public async Task Process_is_400_amount_below_minimum_with_the_published_detail_when_under_5000_cents()
    {
        await LinkPayoneerAsync();

        var body = await ExpectAsync(await ProcessAsync(4999), 400);

        Assert.Equal("Amount below minimum", body["message"]!.GetValue<string>());
        Assert.Equal("Minimum cashout to Payoneer is $50.00 (5000 cents)", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Process_is_422_payment_method_not_linked_when_tipalti_is_not_linked()
    {
        await ExpectAErrorAsync(await ProcessAsync(10000, "tipalti"), 422, "Payment method not linked");
    }

    [Fact]
    public async Task Process_is_409_pending_cashout_exists_when_one_awaits_submission()
    {
        await LinkPayoneerAsync();
        await ExpectAsync(await ProcessAsync(10000), 200);

        await ExpectAErrorAsync(await ProcessAsync(10000), 409, "Pending cashout exists");
    }

    [Fact]
    public async Task Process_is_429_cooldown_period_with_retry_after_when_the_last_cashout_was_less_than_24_hours_ago()
    {
        await LinkPayoneerAsync();
        var first = await RequestAsync(10000);
        AssertSucceeded(await SubmitAsync(first.Id));
        Portal.Clock.Advance(TimeSpan.FromHours(20));

        var response = await ProcessAsync(10000);

        await ExpectAErrorAsync(response, 429, "Cooldown period");
        var detail = (await ExpectAsync(response, 429))["detail"]!.GetValue<string>();
        Assert.StartsWith("One cashout per 24 hours: only cashouts that paid out start the wait; cancelled, failed and returned ones do not.", detail, StringComparison.Ordinal);
        var retryAfter = long.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 4 * 3600 - 5, 4 * 3600 + 5);
    }

    [Fact]
    public async Task Process_is_accepted_at_once_when_the_last_cashout_was_returned()
    {
        await LinkPayoneerAsync();
        var returned = await CompletedCashoutAsync(10000);
        AssertSucceeded(await Provider(p => p.ReturnAsync(ProviderWebhook, returned.Id, "AC04", "Account closed")));

        var body = await ExpectAsync(await ProcessAsync(10000), 200);

        Assert.Equal("pending", body["content"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Process_is_422_insufficient_balance_when_the_amount_exceeds_available()
    {
        await LinkPayoneerAsync();

        await ExpectAErrorAsync(await ProcessAsync(MerchantAvailable + 1), 422, "Insufficient balance");
    }

    [Theory]
    [InlineData("""{"amount":"100000","method":"payoneer"}""", "amount must be an integer (minor units)")]
    [InlineData("""{"amount":1000.5,"method":"payoneer"}""", "amount must be an integer (minor units)")]
    [InlineData("""{"method":"payoneer"}""", "amount is required")]
    [InlineData("""{"amount":100000,"method":"paypal"}""", "method must be payoneer or tipalti")]
    [InlineData("""{"amount":100000,"method":"bank"}""", "method must be payoneer or tipalti")]
    [InlineData("""{"amount":100000,"method":"payoneer","email":"not-an-email"}""", "email must be a valid email address")]
    [InlineData("""{"amount":-5,"method":"payoneer"}""", "Invalid amount")]
    [InlineData("""{"amount":99999999999999,"method":"payoneer"}""", "Invalid amount")]
    [InlineData("""[1,2]""", "Request body must be a JSON object")]
    [InlineData("""{"amount":""", "Malformed JSON: send a JSON object (at most 16 levels deep, each property once)")]
    [InlineData("", "Request body is required: send a JSON object")]
    public async Task Process_is_400_with_a_clear_message_and_creates_nothing_when_the_body_is_invalid(string json, string message)
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();

        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Post, "/cashout/process", json), 400, message);

        var after = await SnapshotAsync();
        Assert.Equal(before with { DeclinedAttempts = 0 }, after with { DeclinedAttempts = 0 });
    }

    [Fact]
    public async Task Link_and_unlink_need_no_step_up_for_an_api_client_and_unlink_is_422_when_not_linked()
    {
        var linked = await ExpectAsync(await FamilyASignedAsync("/cashout/link", new { method = "tipalti", email = "payee@example.com" }), 200);
        Assert.Equal("Payment method linked successfully", linked["content"]!["message"]!.GetValue<string>());
        Assert.Equal("tipalti", linked["content"]!["method"]!.GetValue<string>());

        await ExpectAErrorAsync(await FamilyASignedAsync("/cashout/link", new { method = "tipalti", email = "payee@example.com" }), 409, "A Tipalti method is already linked; unlink it first.");

        var unlinked = await ExpectAsync(await FamilyASignedAsync("/cashout/unlink", new { method = "tipalti" }), 200);
        Assert.Equal("Payment method unlinked successfully", unlinked["content"]!["message"]!.GetValue<string>());
        await ExpectAErrorAsync(await FamilyASignedAsync("/cashout/unlink", new { method = "tipalti" }), 422, "Payment method not linked");
        Assert.NotNull(await Portal.WithDbAsync(db => db.PaymentMethods.Select(m => m.UnlinkedAt).SingleAsync()));
    }

    [Fact]
    public async Task Link_is_422_and_links_nothing_when_the_provider_does_not_know_the_payee()
    {
        await ExpectAErrorAsync(
            await FamilyASignedAsync("/cashout/link", new { method = "payoneer", email = "payee+invalid@example.com" }),
            422,
            "Payoneer could not verify this account: The payee account does not exist.");

        Assert.Equal(0, await Portal.WithDbAsync(db => db.PaymentMethods.CountAsync()));
    }

    [Fact]
    public async Task Link_is_403_and_unlink_is_409_when_unverified_or_a_cashout_is_in_flight()
    {
        var newcomer = await IssueCredentialsAsync(NewcomerId);
        await ExpectAErrorAsync(await FamilyASignedAsync("/cashout/link", new { method = "payoneer", email = "p@example.com" }, secret: newcomer.SignatureSecret, login: newcomer.Login, pass: newcomer.Pass), 403, "Account verification required");

        await LinkPayoneerAsync();
        await RequestAsync(10000);
        var body = await ExpectAsync(await FamilyASignedAsync("/cashout/unlink", new { method = "payoneer" }), 409);
        Assert.False(string.IsNullOrWhiteSpace(body["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Balance_returns_available_pending_and_reserved_in_cents()
    {
        var body = await ExpectAsync(await FamilyAAsync(HttpMethod.Get, "/cashout/balance"), 200);

        var content = body["content"]!;
        Assert.Equal(("USD", MerchantAvailable, MerchantPending, 0L), (content["currency"]!.GetValue<string>(), content["available"]!.GetValue<long>(), content["pending"]!.GetValue<long>(), content["reserved"]!.GetValue<long>()));
        Assert.Single(content["balances"]!.AsArray());
    }

    [Fact]
    public async Task Get_cashout_returns_it_for_its_merchant_and_404_for_anyone_else_or_an_unknown_id()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10000);

        var body = await ExpectAsync(await FamilyAAsync(HttpMethod.Get, $"/cashout/{cashout.Id}"), 200);
        Assert.Equal((cashout.Id, "pending", 200L), (body["content"]!["cashoutId"]!.GetValue<long>(), body["content"]!["status"]!.GetValue<string>(), body["content"]!["fee"]!.GetValue<long>()));

        var other = await IssueCredentialsAsync(await CreateFundedMerchantAsync("other@cashout.test", 10000));
        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Get, $"/cashout/{cashout.Id}", login: other.Login, pass: other.Pass), 404, "Cashout not found");
        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Get, "/cashout/999999"), 404, "Cashout not found");
        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Get, "/cashout/abc"), 404, "Cashout not found");
    }

    [Fact]
    public async Task A_retried_process_with_the_same_idempotency_key_creates_one_cashout_and_replays_the_first_answer()
    {
        await LinkPayoneerAsync();

        var first = await ProcessAsync(10000, idempotencyKey: "retry-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        var second = await ProcessAsync(10000, idempotencyKey: "retry-1");

        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues(Idempotency.ReplayedHeader).Single());
        Assert.Equal(1, await Portal.WithDbAsync(db => db.Cashouts.CountAsync()));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_409_and_changes_nothing()
    {
        await LinkPayoneerAsync();
        await ExpectAsync(await ProcessAsync(10000, idempotencyKey: "key-a"), 200);
        var before = await SnapshotAsync();

        await ExpectAErrorAsync(await ProcessAsync(20000, idempotencyKey: "key-a"), 409, Idempotency.KeyReusedMessage);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Concurrent_requests_with_one_idempotency_key_create_one_cashout()
    {
        await LinkPayoneerAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => ProcessAsync(10000, idempotencyKey: "burst")));

        Assert.Equal(1, await Portal.WithDbAsync(db => db.Cashouts.CountAsync()));
        Assert.Contains(responses, r => (int)r.StatusCode == 200);
        Assert.All(responses, r => Assert.Contains((int)r.StatusCode, new[] { 200, 409 }));
        Assert.Equal(0, await Portal.WithDbAsync(db => db.DeclinedAttempts.CountAsync()));
    }

    [Fact]
    public async Task A_declined_answer_is_replayed_too_so_a_retry_never_runs_the_rules_twice()
    {
        await LinkPayoneerAsync();
        await ExpectAErrorAsync(await ProcessAsync(MerchantAvailable + 1, idempotencyKey: "too-much"), 422, "Insufficient balance");

        await ExpectAErrorAsync(await ProcessAsync(MerchantAvailable + 1, idempotencyKey: "too-much"), 422, "Insufficient balance");

        Assert.Equal(1, await Portal.WithDbAsync(db => db.DeclinedAttempts.CountAsync()));
    }

    [Fact]
    public async Task An_invalid_idempotency_key_is_400()
    {
        await ExpectAErrorAsync(await ProcessAsync(10000, idempotencyKey: new string('k', 256)), 400, Idempotency.InvalidKeyMessage);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_413_before_anything_is_read()
    {
        var before = await SnapshotAsync();
        var huge = "{\"amount\":100000,\"method\":\"payoneer\",\"pad\":\"" + new string('x', 70_000) + "\"}";

        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Post, "/cashout/process", huge), 413, ApiBody.TooLargeMessage);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Cookies_do_not_authenticate_the_api()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/cashout/balance");
        request.Headers.Add("Cookie", "cashout.auth=anything");

        await ExpectAErrorAsync(await Http.SendAsync(request), 401, "Invalid API credentials");
    }
}
