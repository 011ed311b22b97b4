using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cashout.Portal.Api.LimePay;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>
/// A fuzz-style sweep: well over 1,000 malformed or hostile bodies (wrong types, huge and negative numbers, unknown
/// currencies and methods, deep JSON, oversized bodies, broken UTF-8) against every POST/PUT of the three families.
/// Every one gets a 4xx with a message, none changes money (the ledger verifier runs after the test, too).
/// </summary>
public sealed class HostileInputTests : ApiTest
{
    private static readonly string[] HostileValues =
    [
        "null", "true", "false", "0", "-1", "-100000", "1e308", "-1e308", "1.5", "99999999999999999999999999", "9223372036854775807",
        "-9223372036854775808", "\"\"", "\"100000\"", "\"' OR 1=1 --\"", "\"<script>alert(1)</script>\"", "\"\\u0000\"", "[]", "{}", "[1,2,3]",
        "\"XXX\"", "\"usd \"", "\"payoneer; DROP TABLE Cashouts\"", "\"" + new string('a', 5000) + "\"", "{\"value\":-1}", "\"NaN\"", "\"Infinity\"",
        "0.0000001", "1E2", "-0", "\"-5\"", "\"\\ud800\"", "{\"amount\":{\"value\":1e400}}", "[null]", "\"EUR\"", "\"on_hold\"", "2147483648",
    ];

    [Fact]
    public async Task Over_a_thousand_hostile_bodies_all_get_a_4xx_with_a_message_and_change_no_money()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();
        var cases = Bodies().ToList();
        Assert.True(cases.Count >= 1000, $"Only {cases.Count} cases.");

        var failures = new List<string>();
        foreach (var chunk in cases.Chunk(16))
        {
            var results = await Task.WhenAll(chunk.Select(async c => (Case: c, Response: await SendAsync(c))));
            foreach (var (c, response) in results)
            {
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                if (status is < 400 or >= 500 || !HasMessage(text))
                {
                    failures.Add($"{c.Family} {c.Path}: {status} {Shorten(text)} for {Shorten(c.Body)}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} hostile requests were not refused clearly:\n" + string.Join("\n", failures.Take(20)));
        // Declined attempts are recorded by design (admins see them); nothing else may change.
        Assert.Equal(before with { DeclinedAttempts = 0 }, await SnapshotAsync() with { DeclinedAttempts = 0 });
    }

    private sealed record HostileCase(char Family, HttpMethod Method, string Path, string Body);

    private static IEnumerable<HostileCase> Bodies()
    {
        // Each endpoint's base body is well-formed but refused for a reason of its own (an amount above the balance,
        // a method already linked or not linked, an unknown cashout), so a hostile value that happens to be valid
        // still cannot create or move anything.
        const string TooMuch = "99999999";
        var endpoints = new (char Family, HttpMethod Method, string Path, (string Name, string Value)[] Fields)[]
        {
            ('A', HttpMethod.Post, "/cashout/process", [("amount", TooMuch), ("method", "\"payoneer\""), ("email", "\"p@example.com\"")]),
            ('A', HttpMethod.Post, "/cashout/link", [("method", "\"payoneer\""), ("email", "\"p@example.com\""), ("payeeId", "\"P-1\"")]),
            ('A', HttpMethod.Post, "/cashout/unlink", [("method", "\"tipalti\"")]),
            ('B', HttpMethod.Post, "/cashouts", [("instructingBalanceAccountId", "\"BA00000000000000000000001\""), ("amount", "{\"value\":" + TooMuch + ",\"currency\":\"USD\"}"),
                ("fee", "{\"amount\":{\"value\":1,\"currency\":\"USD\"}}"), ("counterparty", "{\"transferInstrumentId\":\"SE1\"}"), ("description", "\"d\"")]),
            ('B', HttpMethod.Post, "/transferRoutes/calculate", [("balanceAccountId", "\"BA00000000000000000000001\""), ("counterparty", "{\"transferInstrumentId\":\"SE1\"}"),
                ("currency", "\"USD\""), ("priorities", "[\"instant\"]")]),
            ('C', HttpMethod.Post, "/v3/cashout", [("external_id", "\"e-1\""), ("amount", TooMuch), ("currency", "\"USD\""), ("method", "\"payoneer\""), ("on_hold", "false")]),
            ('C', HttpMethod.Post, "/v3/cashout/status", [("cashout_id", "1"), ("external_id", "\"e-1\"")]),
            ('C', HttpMethod.Put, "/v3/cashout/status", [("cashout_id", "1"), ("status", "\"ON_HOLD\"")]),
            ('C', HttpMethod.Post, "/v3/cashout/cancel", [("cashout_id", "1"), ("external_id", "\"e-1\"")]),
        };

        foreach (var (family, method, path, fields) in endpoints)
        {
            // Each field in turn replaced by every hostile value, the others left valid.
            foreach (var (field, _) in fields)
            {
                foreach (var hostile in HostileValues)
                {
                    var members = fields.Select(f => $"\"{f.Name}\":{(f.Name == field ? hostile : f.Value)}");
                    yield return new HostileCase(family, method, path, "{" + string.Join(",", members) + "}");
                }
            }

            // Whole bodies that are not a usable object at all.
            foreach (var body in new[]
            {
                "", " ", "null", "[]", "42", "\"text\"", "{", "}", "{\"amount\":}", "{'amount':1}", "{\"amount\":1,}", "{\"a\":1}{\"b\":2}",
                new string('[', 200) + new string(']', 200), Deep(100), Deep(17), "\uFEFF{}", "{\"amount\":1e99999}",
                "{\"amount\":" + new string('9', 400) + "}", "{\"" + new string('k', 10_000) + "\":1}",
                "{\"x\":\"" + new string('x', 70_000) + "\"}",
            })
            {
                yield return new HostileCase(family, method, path, body);
            }
        }
    }

    private Task<HttpResponseMessage> SendAsync(HostileCase c)
    {
        if (c.Family == 'C')
        {
            // Family C bodies carry the credentials; add them when the body is an object, then sign the exact bytes.
            var body = c.Body.StartsWith('{') && c.Body.EndsWith('}') && c.Body.Length > 2 && c.Body.Length < 60_000
                ? "{\"login\":\"demo_login\",\"pass\":\"demo_pass\"," + c.Body[1..]
                : c.Body;
            return FamilyCAsync(c.Method, c.Path, body);
        }

        var request = new HttpRequestMessage(c.Method, c.Path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(c.Body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (c.Family == 'A')
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Login}:{Pass}")));
            // Linking and unlinking also need the body signed: sign it, so the hostile body itself is what is judged.
            request.Headers.Add(LimePayApi.SignatureHeader, LimePayApi.Sign(Secret, Encoding.UTF8.GetBytes(c.Body)));
        }
        else
        {
            request.Headers.Add("X-API-Key", $"{Login}:{Pass}");
        }

        return Http.SendAsync(request);
    }

    private static string Deep(int levels) => new StringBuilder().Insert(0, "{\"a\":", levels).Append('1').Append('}', levels).ToString();

    /// <summary>A family's error message: A's message, B's detail, C's description; never empty.</summary>
    private static bool HasMessage(string text)
    {
        try
        {
            var body = JsonNode.Parse(text)!.AsObject();
            var message = (body["message"] ?? body["detail"] ?? body["description"])?.GetValue<string>();
            return !string.IsNullOrWhiteSpace(message) && !message.Contains("Exception", StringComparison.Ordinal);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
