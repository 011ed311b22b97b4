using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Api.LimePay;
using Microsoft.Data.Sqlite;

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
    [Trait("Database", "SqliteOnly")] // PostgreSQL has no database-wide write lock; its lock waits end in lock_timeout
    public async Task A_write_while_another_writer_holds_the_database_is_a_503_with_retry_after_within_seconds_and_writes_nothing()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage processA, createC;
        await using (var writer = new SqliteConnection($"Data Source={Portal.DatabasePath};Pooling=False"))
        {
            await writer.OpenAsync();
            await using var lockHolder = writer.CreateCommand();
            lockHolder.CommandText = "BEGIN IMMEDIATE;";
            await lockHolder.ExecuteNonQueryAsync();

            processA = await ProcessAsync(10_000);
            createC = await FamilyCAsync(HttpMethod.Post, "/v3/cashout", CBody(new { external_id = "busy", amount = 10_000, method = "payoneer" }));
            elapsed.Stop();

            lockHolder.CommandText = "ROLLBACK;";
            await lockHolder.ExecuteNonQueryAsync();
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

    private static async Task<JsonObject> ExpectJsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Contains("json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }
}
