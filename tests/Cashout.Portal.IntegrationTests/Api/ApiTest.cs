using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Api.LimePay;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>
/// Base of the API tests: the real app served by Kestrel on a loopback port (real HTTP), the demo merchant's API
/// credentials from the seed, and the ledger verifier after every test (MoneyTest).
/// </summary>
public abstract class ApiTest : MoneyTest
{
    protected const string Login = DemoSeed.ApiLogin;
    protected const string Pass = DemoSeed.ApiPass;
    protected const string Secret = DemoSeed.ApiSignatureSecret;

    protected ApiTest()
    {
        Portal.WithKestrel()
            .WithSetting("Api:RequestsPerSecond", "100000")
            .WithSetting("Api:Burst", "100000")
            .WithSetting("Webhooks:AllowHttpEndpoints", "true")
            // Bursts of simultaneous writers on a loaded CI machine may queue longer than the 5 s a request waits in
            // production; these tests are about what the APIs answer, MachineErrorTests about the wait.
            .WithSetting("Database:RequestBusyTimeoutSeconds", "60");
    }

    private HttpClient? http;

    protected HttpClient Http => http ??= Portal.CreateHttpClient();

    // ---- family A ----

    protected Task<HttpResponseMessage> FamilyAAsync(
        HttpMethod method, string path, object? body = null, string? idempotencyKey = null, string login = Login, string pass = Pass, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{pass}")));
        if (body is not null)
        {
            request.Content = Json(body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// A family-A call that changes a payout destination (link, unlink): the exact JSON text signed with the signature
    /// secret in Payload-Signature, besides the login and pass (docs/decisions/019).
    /// </summary>
    protected Task<HttpResponseMessage> FamilyASignedAsync(
        string path, object body, string? signature = null, string secret = Secret, string login = Login, string pass = Pass, string? idempotencyKey = null)
    {
        var json = body as string ?? JsonSerializer.Serialize(body);
        var bytes = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{pass}")));
        request.Headers.Add(LimePayApi.SignatureHeader, signature ?? LimePayApi.Sign(secret, bytes));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    protected Task<HttpResponseMessage> ProcessAsync(long amount, string method = "payoneer", string? idempotencyKey = null, string login = Login, string pass = Pass) =>
        FamilyAAsync(HttpMethod.Post, "/cashout/process", new { amount, method }, idempotencyKey, login, pass);

    // ---- family B ----

    protected Task<HttpResponseMessage> FamilyBAsync(
        HttpMethod method, string path, object? body = null, string apiKey = $"{Login}:{Pass}", string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", apiKey);
        if (body is not null)
        {
            request.Content = Json(body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request, cancellationToken);
    }

    // ---- family C ----

    /// <summary>Sends the exact JSON text, signed (unless a signature is given) with the demo signature secret.</summary>
    protected Task<HttpResponseMessage> FamilyCAsync(
        HttpMethod method, string path, string json, string? signature = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(LimePayApi.SignatureHeader, signature ?? LimePayApi.Sign(Secret, bytes));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request, cancellationToken);
    }

    protected static string CBody(object fields)
    {
        var node = JsonSerializer.SerializeToNode(fields)!.AsObject();
        node.Insert(0, "login", Login);
        node.Insert(1, "pass", Pass);
        return node.ToJsonString();
    }

    protected Task<HttpResponseMessage> StatusCAsync(object identifier) => FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", CBody(identifier));

    // ---- shared ----

    protected static StringContent Json(object body) =>
        new(body is string text ? text : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    protected static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts the status and returns the JSON body.</summary>
    protected static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Family A's error envelope with its exact message.</summary>
    protected static async Task ExpectAErrorAsync(HttpResponseMessage response, int status, string message)
    {
        var body = await ExpectAsync(response, status);
        Assert.True(body["err"]!.GetValue<bool>());
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal(message, body["message"]!.GetValue<string>());
    }

    /// <summary>Issues API credentials for another merchant (stepped up), for tests that need a second client.</summary>
    protected async Task<IssuedApiCredentials> IssueCredentialsAsync(string merchantId)
    {
        var outcome = await Use<IssueApiCredentials, IssueApiCredentialsOutcome>(issue => issue.HandleAsync(SteppedUp(merchantId), merchantId));
        AssertSucceeded(outcome.Result);
        return outcome.Issued!;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _ = Http;
    }
}
