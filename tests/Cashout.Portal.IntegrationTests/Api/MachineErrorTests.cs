using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Api.LimePay;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Providers;
using Cashout.Portal.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>
/// Probes an attacker tried, over real HTTP: every API and webhook route answers its own errors as JSON with the
/// right status (the status-code pages are for pages), a body not sent as JSON is a 415, a property named twice is a
/// 400, and none of them writes anything.
/// </summary>
public sealed class MachineErrorTests : ApiTest
{
    public MachineErrorTests() => Portal.WithSetting("Database:RequestBusyTimeoutSeconds", "2");

    [Fact]
    public async Task An_unknown_provider_webhook_is_a_404_problem_and_an_oversized_one_a_413_problem()
    {
        var unknown = await Http.PostAsync("/webhooks/providers/evil", new StringContent("{}", Encoding.UTF8, "application/json"));
        var problem = await ExpectJsonAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(404, problem["status"]!.GetValue<int>());

        var oversized = await Http.PostAsync("/webhooks/providers/payoneer", new StringContent(new string(' ', 70_000) + "{}", Encoding.UTF8, "application/json"));
        var tooLarge = await ExpectJsonAsync(oversized, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(413, tooLarge["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Routes_an_api_does_not_serve_answer_in_that_familys_json()
    {
        var familyB = await ExpectJsonAsync(await FamilyBAsync(HttpMethod.Post, "/balanceAccounts/x", new { }), HttpStatusCode.MethodNotAllowed);
        Assert.Equal(405, familyB["status"]!.GetValue<int>());

        using var unserved = await FamilyAAsync(HttpMethod.Post, "/cashout/nothing/here", new { });
        Assert.Contains(unserved.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        var familyA = await ExpectJsonAsync(unserved, unserved.StatusCode);
        Assert.True(familyA["err"]!.GetValue<bool>());

        using var wrongMethod = await Http.GetAsync("/v3/cashout/status");
        Assert.Contains(wrongMethod.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        var familyC = await ExpectJsonAsync(wrongMethod, wrongMethod.StatusCode);
        Assert.Equal((int)wrongMethod.StatusCode, familyC["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("does-not-exist")]
    [InlineData("cashouts/abc")]
    public async Task Pages_that_do_not_exist_still_get_the_designed_not_found_page(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v3/nothing", "text/plain")]
    [InlineData("/api/anything", "application/x-www-form-urlencoded")]
    [InlineData("/anything", "application/json")]
    public async Task A_post_to_no_route_that_looks_like_an_api_call_is_a_404_problem(string path, string contentType)
    {
        using var response = await Http.PostAsync(path, new StringContent("{}", Encoding.UTF8, contentType));

        var problem = await ExpectJsonAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(404, problem["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("POST", "/anything", "text/plain")]
    [InlineData("POST", "/payment-methods/nothing", "application/x-www-form-urlencoded")]
    [InlineData("DELETE", "/does-not-exist", null)]
    public async Task Another_request_but_a_get_to_no_route_is_a_plain_404_not_a_page(string method, string path, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent("x=1", Encoding.UTF8, contentType);
        }

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Content.Headers.Contains("Allow"));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Not found: no such endpoint or resource", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_not_sent_as_json_is_a_415_in_each_family_and_writes_nothing()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();

        var familyA = new HttpRequestMessage(HttpMethod.Post, "/cashout/process") { Content = new StringContent("""{"amount":10000,"method":"payoneer"}""", Encoding.UTF8, "text/plain") };
        familyA.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Login}:{Pass}")));
        var a = await ExpectJsonAsync(await Http.SendAsync(familyA), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(ApiBody.UnsupportedMediaTypeMessage, a["message"]!.GetValue<string>());

        var familyB = new HttpRequestMessage(HttpMethod.Post, "/cashouts") { Content = new StringContent("""{"instructingBalanceAccountId":"x","amount":{"value":10000,"currency":"USD"}}""", Encoding.UTF8, "application/x-www-form-urlencoded") };
        familyB.Headers.Add("X-API-Key", $"{Login}:{Pass}");
        await ExpectJsonAsync(await Http.SendAsync(familyB), HttpStatusCode.UnsupportedMediaType);

        var body = Encoding.UTF8.GetBytes(CBody(new { external_id = "plain", amount = 10_000, method = "payoneer" }));
        var familyC = new HttpRequestMessage(HttpMethod.Post, "/v3/cashout") { Content = new ByteArrayContent(body) };
        familyC.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        familyC.Headers.Add(LimePayApi.SignatureHeader, LimePayApi.Sign(Secret, body));
        var c = await ExpectJsonAsync(await Http.SendAsync(familyC), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(ApiBody.UnsupportedMediaTypeMessage, c["description"]!.GetValue<string>());

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_property_named_twice_is_a_400_in_each_family_and_writes_nothing()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();

        var a = await ExpectJsonAsync(await FamilyAAsync(HttpMethod.Post, "/cashout/process", """{"amount":10000,"amount":1,"method":"payoneer"}"""), HttpStatusCode.BadRequest);
        Assert.StartsWith("Malformed JSON", a["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await ExpectJsonAsync(await FamilyBAsync(HttpMethod.Post, "/cashouts", """{"instructingBalanceAccountId":"BA00000000000000000000001","amount":{"value":10000,"value":1,"currency":"USD"}}"""), HttpStatusCode.BadRequest);

        var c = await ExpectJsonAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout", $$"""{"login":"{{Login}}","pass":"{{Pass}}","external_id":"twice","amount":10000,"amount":1,"method":"payoneer"}"""), HttpStatusCode.BadRequest);
        Assert.StartsWith("Malformed JSON", c["description"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_write_while_another_writer_holds_the_database_is_a_503_with_retry_after_within_seconds_and_writes_nothing()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage processA, createC;
        await using (await Portal.HoldWritersAsync(MerchantId))
        {
            processA = await ProcessAsync(10_000);
            createC = await FamilyCAsync(HttpMethod.Post, "/v3/cashout", CBody(new { external_id = "busy", amount = 10_000, method = "payoneer" }));
            elapsed.Stop();
        }

        var a = await ExpectJsonAsync(processA, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ApiEndpoint.BusyMessage, a["message"]!.GetValue<string>());
        Assert.Equal("2", Assert.Single(processA.Headers.GetValues("Retry-After")));
        var c = await ExpectJsonAsync(createC, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("SERVICE_UNAVAILABLE", c["type"]!.GetValue<string>());
        Assert.True(createC.Headers.Contains("Retry-After"));
        // Two requests, each bounded by Database:RequestBusyTimeoutSeconds (2 s here: SQLite's busy handler, then the driver's retry loop).
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), $"Both answers took {elapsed.Elapsed}.");
        Assert.Equal(before, await SnapshotAsync());

        // The lock gone, the same request goes through.
        await ExpectAsync(await ProcessAsync(10_000), 200);
    }

    [Fact]
    public async Task A_provider_webhook_naming_a_property_twice_is_a_400_problem_and_records_nothing()
    {
        var reference = PayoutReference.For(1);
        var twice = $$$"""{"type":"payout.failed","type":"payout.completed","timestamp":"2026-01-01T00:00:00Z","data":{"id":"po_1","reference":"{{{reference}}}","status":"completed"}}""";

        using var response = await Http.SendAsync(SignedWebhook(twice, "msg_twice"));

        var problem = await ExpectJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal(0, await Portal.WithDbAsync(db => db.ProviderWebhookReceipts.CountAsync()));
    }

    [Fact]
    [Trait("Database", "SqliteOnly")] // the sandbox is a SQLite file on every provider; the portal's side is the test above
    public async Task A_provider_webhook_or_a_sandbox_call_while_another_writer_holds_its_database_is_a_503_with_retry_after_within_seconds()
    {
        var report = $$$"""{"type":"payout.completed","timestamp":"2026-01-01T00:00:00Z","data":{"id":"po_1","reference":"{{{PayoutReference.For(1)}}}","status":"completed"}}""";
        var sandboxCall = new HttpRequestMessage(HttpMethod.Post, "/sandbox/payoneer/payouts")
        {
            Content = Json(new PayoutSubmission("co_1", 10_000, 100, 9_900, "USD", "payee@example.com", "regular")),
        };
        sandboxCall.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options<ProvidersOptions>().For(PayoutMethod.Payoneer).ApiKey);
        sandboxCall.Headers.Add("Idempotency-Key", "busy-sandbox");

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage webhookAnswer, sandboxAnswer;
        await using (await SqliteFile.LockAsync(Portal.DatabasePath))
        await using (await SqliteFile.LockAsync(Options<SandboxOptions>().DatabasePath))
        {
            webhookAnswer = await Http.SendAsync(SignedWebhook(report, "msg_busy"));
            sandboxAnswer = await Http.SendAsync(sandboxCall);
            elapsed.Stop();
        }

        var problem = await ExpectJsonAsync(webhookAnswer, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ApiEndpoint.BusyMessage, problem["title"]!.GetValue<string>());
        Assert.Equal("2", Assert.Single(webhookAnswer.Headers.GetValues("Retry-After")));
        var provider = await ExpectJsonAsync(sandboxAnswer, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("SERVICE_UNAVAILABLE", provider["code"]!.GetValue<string>());
        Assert.True(sandboxAnswer.Headers.Contains("Retry-After"));
        // Each bounded by Database:RequestBusyTimeoutSeconds (2 s here), not the 30 s a page or a job waits.
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), $"Both answers took {elapsed.Elapsed}.");
        Assert.Equal(0, await Portal.WithDbAsync(db => db.ProviderWebhookReceipts.CountAsync()));

        // The lock gone, the provider's retry of the same webhook is acknowledged (the cashout is not one of ours).
        using var retried = await Http.SendAsync(SignedWebhook(report, "msg_busy"));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    private T Options<T>()
        where T : class => Portal.Services.GetRequiredService<IOptions<T>>().Value;

    /// <summary>A provider's report to the Payoneer webhook, signed with its secret as the provider signs it.</summary>
    private HttpRequestMessage SignedWebhook(string body, string id)
    {
        Assert.True(StandardWebhooks.TryDecodeSecret(Options<ProvidersOptions>().Payoneer.WebhookSecret, out var key));
        var timestamp = Portal.Clock.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/providers/payoneer") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(StandardWebhooks.IdHeader, id);
        request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(key, id, timestamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    private static async Task<JsonObject> ExpectJsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Contains("json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }
}
