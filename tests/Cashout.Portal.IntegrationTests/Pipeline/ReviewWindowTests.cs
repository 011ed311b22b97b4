using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;

namespace Cashout.Portal.IntegrationTests.Pipeline;

/// <summary>
/// A cashout leaves Pending when its review window ends, not at the next sweep: the portal process runs with every
/// sweep interval at one hour, so only the submission scheduled for the window's end can move it.
/// </summary>
public sealed class ReviewWindowTests : PipelineTest
{
    private const int ReviewWindowSeconds = 3;

    private static readonly Dictionary<string, string> HourlySweeps = new()
    {
        ["Payouts:ReviewWindowSeconds"] = ReviewWindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Jobs:OutboxSender:IntervalSeconds"] = "3600",
        ["Jobs:Submit:IntervalSeconds"] = "3600",
        ["Jobs:Track:IntervalSeconds"] = "3600",
        ["Jobs:Settle:IntervalSeconds"] = "3600",
        ["Jobs:WebhookDelivery:IntervalSeconds"] = "3600",
    };

    [Fact]
    public async Task Does_submit_a_cashout_requested_from_the_running_portal_when_its_review_window_ends()
    {
        await LinkPayoneerAsync();
        await using var portal = await StartPortalAsync(HourlySweeps);

        // Requested through the portal process itself (family A), after its start-up sweep has run.
        using var http = new HttpClient { BaseAddress = portal.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "cashout/process") { Content = JsonContent.Create(new { amount = 10_000, method = "payoneer" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DemoSeed.ApiLogin}:{DemoSeed.ApiPass}")));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var cashoutId = long.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["content"]!["cashoutId"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

        await AssertSubmittedAtWindowEndAsync(cashoutId, portal);
        // Each stage email went out right after its commit, though the outbox sweep runs hourly.
        await WaitForAsync(async () => (await StageEmailKindsAsync(DemoSeed.MerchantEmail, cashoutId)).Count >= 2 && await AllEmailsSentAsync(), "the stage emails are sent", portal);
    }

    [Fact]
    public async Task Does_submit_a_cashout_requested_before_the_portal_started_when_its_review_window_ends()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000); // no job runs in the test's own host: only the process's start can schedule it

        await using var portal = await StartPortalAsync(HourlySweeps);

        await AssertSubmittedAtWindowEndAsync(cashout.Id, portal);
    }

    private async Task AssertSubmittedAtWindowEndAsync(long cashoutId, PortalProcess portal)
    {
        await WaitForAsync(async () => (await CashoutAsync(cashoutId)).Status != CashoutStatus.Pending, $"cashout {cashoutId} leaves Pending", portal, TimeSpan.FromSeconds(30));

        var cashout = await CashoutAsync(cashoutId);
        var submitted = Assert.Single(await TimelineAsync(cashoutId), e => e.Type == CashoutEventType.StatusChanged && e.ToStatus == CashoutStatus.Processing);
        Assert.True(submitted.At >= cashout.CreatedAt.AddSeconds(ReviewWindowSeconds), $"Submitted at {submitted.At:O}, before the review window ended ({cashout.CreatedAt:O} + {ReviewWindowSeconds} s).");
    }
}
