using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Api.LimePay;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Pipeline;

/// <summary>
/// The payout pipeline end to end, in the real portal process: submit job, provider adapter and sandbox over loopback
/// HTTP, signed webhooks back, the outbox over a real SMTP server. Each test checks where the money ended up.
/// </summary>
public sealed class PayoutPipelineTests : PipelineTest
{
    private const string MerchantEmail = DemoSeed.MerchantEmail;

    [Fact]
    public async Task Does_complete_a_cashout_by_itself_and_email_every_stage_when_the_provider_pays()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);

        await using var portal = await StartPortalAsync();
        await WaitForStatusAsync(cashout.Id, CashoutStatus.Completed, portal);

        var changes = (await TimelineAsync(cashout.Id)).Where(e => e.Type == CashoutEventType.StatusChanged).Select(e => e.ToStatus).ToList();
        Assert.Equal([CashoutStatus.Pending, CashoutStatus.Processing, CashoutStatus.Completed], changes);
        Assert.Contains(await TimelineAsync(cashout.Id), e => e.Type == CashoutEventType.ProviderEvent && e.Detail!.Contains("webhook: completed", StringComparison.Ordinal));
        Assert.Equal(new UsdBalances(MerchantAvailable - 10_000, MerchantPending, 0), await BalancesAsync());
        Assert.Equal(1, await SandboxAsync(db => db.Payouts.CountAsync(p => p.Reference == PayoutReference.For(cashout.Id))));

        Assert.Equal(["cashout.requested", "cashout.processing", "cashout.completed"], await StageEmailKindsAsync(MerchantEmail, cashout.Id));
        await WaitForAsync(AllEmailsSentAsync, "every email is sent", portal);
        var received = (await Smtp.WaitForMessagesAsync(4)).Where(m => m.Subject.Contains($"#{cashout.Id} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Cashout completed", "Cashout processing", "Cashout requested"], received.Select(m => m.Subject.Split(" · ")[0]).Order());
        Assert.All(received, email =>
        {
            Assert.Equal(MerchantEmail, email.To);
            Assert.Contains("Amount: $100.00 · Fee: $2.00 · Net to payee: $98.00", email.Text, StringComparison.Ordinal);
            Assert.Contains($"/cashouts/{cashout.Id}", email.Html, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Does_link_and_complete_a_cashout_through_the_process_when_it_listens_on_any_port()
    {
        // Only the port is given (ASPNETCORE_URLS): the adapters reach the in-app sandbox, and the sandbox's webhooks
        // reach the portal, at the address the process really listens on.
        await using var portal = await StartPortalAsync();
        Assert.NotEqual(5080, portal.BaseUrl.Port);
        using var api = new HttpClient { BaseAddress = portal.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DemoSeed.ApiLogin}:{DemoSeed.ApiPass}")));

        // Linking asks Payoneer (the sandbox) to verify the payee: it answered 503 while the URLs pointed at port 5080.
        var link = new StringContent("""{"method":"payoneer","email":"payee@example.com"}""", Encoding.UTF8, "application/json");
        link.Headers.Add(LimePayApi.SignatureHeader, LimePayApi.Sign(DemoSeed.ApiSignatureSecret, await link.ReadAsByteArrayAsync()));
        using var linked = await api.PostAsync("cashout/link", link);
        Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        using var processed = await api.PostAsJsonAsync("cashout/process", new { amount = 10_000, method = "payoneer" });
        Assert.True(processed.IsSuccessStatusCode, await processed.Content.ReadAsStringAsync());
        var cashoutId = JsonNode.Parse(await processed.Content.ReadAsStringAsync())!["content"]!["cashoutId"]!.GetValue<long>();

        await WaitForStatusAsync(cashoutId, CashoutStatus.Completed, portal);

        Assert.Contains(await TimelineAsync(cashoutId), e => e.Type == CashoutEventType.ProviderEvent && e.Detail!.Contains("webhook: completed", StringComparison.Ordinal));
        Assert.Equal(1, await SandboxAsync(db => db.Payouts.CountAsync(p => p.Reference == PayoutReference.For(cashoutId))));
        Assert.Equal(new UsdBalances(MerchantAvailable - 10_000, MerchantPending, 0), await BalancesAsync());
        Assert.Equal(["cashout.requested", "cashout.processing", "cashout.completed"], await StageEmailKindsAsync(MerchantEmail, cashoutId));
        await WaitForAsync(AllEmailsSentAsync, "every email is sent", portal);
        var received = (await Smtp.WaitForMessagesAsync(4)).Where(m => m.Subject.Contains($"#{cashoutId} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Cashout completed", "Cashout processing", "Cashout requested"], received.Select(m => m.Subject.Split(" · ")[0]).Order());
        // The emails link to the cashout where this portal really is, not to a default address.
        Assert.All(received, email => Assert.Contains($"{portal.BaseUrl}cashouts/{cashoutId}", email.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Does_fail_with_code_808_and_refund_when_the_amount_ends_in_13()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_013);

        await using var portal = await StartPortalAsync();
        await WaitForStatusAsync(cashout.Id, CashoutStatus.Failed, portal);

        var failed = await CashoutAsync(cashout.Id);
        Assert.Equal("808", failed.RejectionCode);
        Assert.Contains("ERROR_OTHER", failed.RejectionReason, StringComparison.Ordinal);
        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending, 0), await BalancesAsync());
        Assert.Equal(0, await SandboxAsync(db => db.Payouts.CountAsync()));
        Assert.Equal(["rejected"], await SandboxAsync(db => db.Submissions.Select(s => s.Outcome).ToListAsync()));
        Assert.Equal(["cashout.requested", "cashout.processing", "cashout.failed"], await StageEmailKindsAsync(MerchantEmail, cashout.Id));
        await WaitForAsync(AllEmailsSentAsync, "every email is sent", portal);
        var failedEmail = (await Smtp.WaitForMessagesAsync(4)).Single(m => m.Subject.StartsWith("Cashout failed", StringComparison.Ordinal));
        Assert.Contains("(provider code 808)", failedEmail.Text, StringComparison.Ordinal);
        Assert.Contains("back in your available balance", failedEmail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_return_the_payout_and_refund_when_the_payee_is_a_return_trigger()
    {
        await LinkPayoneerAsync(payeeEmail: "payee+return@example.com");
        var cashout = await RequestAsync(10_000);

        await using var portal = await StartPortalAsync();
        await WaitForStatusAsync(cashout.Id, CashoutStatus.Returned, portal);

        var returned = await CashoutAsync(cashout.Id);
        Assert.Equal("AC04", returned.RejectionCode);
        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending, 0), await BalancesAsync());
        Assert.Equal((0, 0), await PlatformBalancesAsync());
        Assert.Equal(["cashout.requested", "cashout.processing", "cashout.completed", "cashout.returned"], await StageEmailKindsAsync(MerchantEmail, cashout.Id));
        await WaitForAsync(AllEmailsSentAsync, "every email is sent", portal);
    }

    [Fact]
    public async Task Does_retry_and_then_pay_exactly_once_when_the_provider_is_down()
    {
        await LinkPayoneerAsync(payeeEmail: "payee+down@example.com");
        var cashout = await RequestAsync(10_000);

        // Three 503s: the adapter's two attempts of the first run fail, the job's next run gets through.
        await using var portal = await StartPortalAsync(new Dictionary<string, string>
        {
            ["Sandbox:DownFailures"] = "3",
            ["Providers:Payoneer:MaxAttempts"] = "2",
        });
        await WaitForStatusAsync(cashout.Id, CashoutStatus.Completed, portal);

        var outcomes = await SandboxAsync(db => db.Submissions.OrderBy(s => s.Id).Select(s => s.Outcome).ToListAsync());
        Assert.Equal(["unavailable", "unavailable", "unavailable", "created"], outcomes);
        Assert.Equal(1, await SandboxAsync(db => db.Payouts.CountAsync(p => p.Reference == PayoutReference.For(cashout.Id))));
        Assert.Contains(await TimelineAsync(cashout.Id), e => e.Type == CashoutEventType.ProviderEvent && e.ProviderCode == "SERVICE_UNAVAILABLE");
        Assert.Equal(new UsdBalances(MerchantAvailable - 10_000, MerchantPending, 0), await BalancesAsync());
    }

    [Fact]
    public async Task Does_time_out_every_late_answer_and_still_pay_exactly_once()
    {
        await LinkPayoneerAsync(payeeEmail: "payee+slow@example.com");
        var cashout = await RequestAsync(10_000);

        // The sandbox records a +slow payee's payout at once and answers 4 s later: every 2 s attempt times out, and
        // each retry (the adapter's, then the job's) carries the same key. The provider's webhook completes it.
        // (With 1 s attempts, a loaded CI machine sometimes cancelled the first one before the sandbox recorded it,
        // so only one submission was seen: the margin is for the sandbox to record each attempt.)
        await using var portal = await StartPortalAsync(new Dictionary<string, string>
        {
            ["Sandbox:SlowResponseMilliseconds"] = "4000",
            ["Providers:Payoneer:TimeoutSeconds"] = "2",
            ["Providers:Payoneer:MaxAttempts"] = "3",
        });
        await WaitForStatusAsync(cashout.Id, CashoutStatus.Completed, portal);
        await WaitForAsync(
            async () => (await TimelineAsync(cashout.Id)).Any(e => e.Type == CashoutEventType.ProviderEvent && e.ProviderCode == "timeout"),
            "the submit job recorded the timed-out submission", portal);

        var submissions = await SandboxAsync(db => db.Submissions.OrderBy(s => s.Id).Select(s => new { s.IdempotencyKey, s.Outcome }).ToListAsync());
        Assert.True(submissions.Count >= 2, $"{submissions.Count} submission(s)");
        Assert.All(submissions, s => Assert.Equal(PayoutReference.For(cashout.Id), s.IdempotencyKey));
        Assert.Equal(["created", .. Enumerable.Repeat("replayed", submissions.Count - 1)], submissions.Select(s => s.Outcome));
        Assert.Equal(1, await SandboxAsync(db => db.Payouts.CountAsync(p => p.Reference == PayoutReference.For(cashout.Id))));
        Assert.Equal(new UsdBalances(MerchantAvailable - 10_000, MerchantPending, 0), await BalancesAsync());
    }

    [Fact]
    public async Task Does_poll_the_provider_and_complete_when_the_webhook_never_arrives()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);

        // The sandbox's webhooks go to a port nobody listens on: only the track job's polls can learn the outcome.
        await using var portal = await StartPortalAsync(new Dictionary<string, string>
        {
            ["Sandbox:PortalBaseUrl"] = $"http://127.0.0.1:{PortalProcess.FreePort()}/",
            ["Payouts:PollAfterSeconds"] = "1",
        });
        await WaitForStatusAsync(cashout.Id, CashoutStatus.Completed, portal);

        var timeline = await TimelineAsync(cashout.Id);
        Assert.Contains(timeline, e => e.Type == CashoutEventType.ProviderEvent && e.Detail!.Contains("poll: completed", StringComparison.Ordinal));
        Assert.DoesNotContain(timeline, e => e.Detail?.Contains("webhook", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Does_refuse_a_webhook_with_401_and_write_nothing_when_its_signature_is_bad()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        AssertSucceeded(await SubmitAsync(cashout.Id));
        await using var portal = await StartPortalAsync(new Dictionary<string, string> { ["Jobs:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = portal.BaseUrl };
        var body = CompletedWebhook(cashout.Id);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var before = await SnapshotAsync();

        var wrongSecret = await PostWebhookAsync(http, "msg_wrong", now, body, "whsec_" + Convert.ToBase64String(new byte[32]));
        var stale = await PostWebhookAsync(http, "msg_stale", now - 301, body, await PayoneerSecretAsync());
        var tampered = await PostWebhookAsync(http, "msg_tampered", now, body, await PayoneerSecretAsync(), sentBody: body.Replace("completed", "returned", StringComparison.Ordinal));
        var unsigned = await http.PostAsync("webhooks/providers/payoneer", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.All([wrongSecret, stale, tampered, unsigned.StatusCode], status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(CashoutStatus.Processing, (await CashoutAsync(cashout.Id)).Status);

        // The same webhook, correctly signed, is accepted: the refusals were about the signature alone.
        Assert.Equal(HttpStatusCode.OK, await PostWebhookAsync(http, "msg_good", now, body, await PayoneerSecretAsync()));
        Assert.Equal(CashoutStatus.Completed, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task Does_change_nothing_when_a_webhook_is_replayed_or_arrives_out_of_order()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        AssertSucceeded(await SubmitAsync(cashout.Id));
        await using var portal = await StartPortalAsync(new Dictionary<string, string> { ["Jobs:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = portal.BaseUrl };
        var secret = await PayoneerSecretAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var completed = CompletedWebhook(cashout.Id);

        Assert.Equal(HttpStatusCode.OK, await PostWebhookAsync(http, "msg_completed", now, completed, secret));
        var afterFirst = await SnapshotAsync();
        var balances = await BalancesAsync();

        // The very same delivery again: acknowledged, nothing written.
        Assert.Equal(HttpStatusCode.OK, await PostWebhookAsync(http, "msg_completed", now, completed, secret));
        Assert.Equal(afterFirst, await SnapshotAsync());

        // A late "processing" and a "failed" after completion: recorded on the timeline, no status or money change.
        Assert.Equal(HttpStatusCode.OK, await PostWebhookAsync(http, "msg_processing", now, Webhook(cashout.Id, PayoutStatuses.Processing), secret));
        Assert.Equal(HttpStatusCode.OK, await PostWebhookAsync(http, "msg_failed", now, Webhook(cashout.Id, PayoutStatuses.Failed, "X1", "Late failure"), secret));

        var after = await SnapshotAsync();
        Assert.Equal(afterFirst with { CashoutEvents = after.CashoutEvents }, after);
        Assert.Equal(afterFirst.CashoutEvents + 2, after.CashoutEvents);
        Assert.Equal(balances, await BalancesAsync());
        var final = await CashoutAsync(cashout.Id);
        Assert.Equal(CashoutStatus.Completed, final.Status);
        Assert.Null(final.RejectionCode);
        Assert.Contains(await TimelineAsync(cashout.Id), e => e.ProviderCode == "X1" && e.Detail!.Contains("no change", StringComparison.Ordinal));
    }

    private static string CompletedWebhook(long cashoutId) => Webhook(cashoutId, PayoutStatuses.Completed);

    private static string Webhook(long cashoutId, string status, string? code = null, string? reason = null) => JsonSerializer.Serialize(
        new PayoutWebhookEvent("payout." + status, DateTimeOffset.UtcNow, new PayoutResource("po_test", PayoutReference.For(cashoutId), status, code, reason)),
        PortalJson.Options);

    private async Task<string> PayoneerSecretAsync()
    {
        var secret = "";
        await Portal.WithScopeAsync(services =>
        {
            secret = services.GetRequiredService<IOptions<ProvidersOptions>>().Value.Payoneer.WebhookSecret;
            return Task.CompletedTask;
        });
        return secret;
    }

    /// <summary>Signs <paramref name="body"/> as a provider would and posts <paramref name="sentBody"/> (the same unless tampering).</summary>
    private static async Task<HttpStatusCode> PostWebhookAsync(HttpClient http, string id, long timestamp, string body, string secret, string? sentBody = null)
    {
        Assert.True(StandardWebhooks.TryDecodeSecret(secret, out var key));
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/providers/payoneer")
        {
            Content = new StringContent(sentBody ?? body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(StandardWebhooks.IdHeader, id);
        request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(key, id, timestamp, Encoding.UTF8.GetBytes(body)));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
