using System.Net;
using System.Text.RegularExpressions;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Identity;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Jobs;

/// <summary>
/// Hangfire's dashboard at /admin/hangfire: admins with two-factor only, checked on every request, and its actions
/// (POSTs) refused without the antiforgery token the dashboard's own page carries.
/// </summary>
public sealed partial class HangfireDashboardTests : IAsyncLifetime
{
    private const string Dashboard = "/admin/hangfire";

    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Dashboard_redirects_to_sign_in_when_nobody_is_signed_in()
    {
        var response = await portal.CreateBrowserlessClient().GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_and_its_data_are_refused_with_403_when_a_merchant_asks()
    {
        var merchant = await SignIn.AsAsync(portal, DemoSeed.MerchantEmail, DemoSeed.Password);

        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.GetAsync(Dashboard)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.GetAsync($"{Dashboard}/recurring")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.PostAsync($"{Dashboard}/stats", new FormUrlEncodedContent([]))).StatusCode);
    }

    [Fact]
    public async Task Dashboard_lists_the_recurring_sweeps_when_an_admin_with_two_factor_opens_it()
    {
        var admin = await SignIn.AsAsync(portal, DemoSeed.AdminEmail, DemoSeed.Password);

        var response = await admin.GetAsync($"{Dashboard}/recurring");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.TextAsync();
        Assert.Contains("Cashout Portal jobs", page, StringComparison.Ordinal);
        Assert.All(new[] { "outbox-sender", "submit", "track", "settle", "webhook-delivery" }, id => Assert.Contains(id, page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_is_refused_on_the_next_request_when_the_admin_turns_two_factor_off()
    {
        var admin = await SignIn.AsAsync(portal, DemoSeed.AdminEmail, DemoSeed.Password);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Dashboard)).StatusCode);

        await portal.WithDbAsync(db => db.Users.Where(u => u.Email == DemoSeed.AdminEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, false)));
        var response = await admin.GetAsync(Dashboard);

        // As every admin page does: sent to set two-factor up, then back here.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Manage/EnableAuthenticator?returnUrl=%2Fadmin%2Fhangfire", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_action_is_refused_without_the_antiforgery_token_and_done_with_it()
    {
        var admin = await SignIn.AsAsync(portal, DemoSeed.AdminEmail, DemoSeed.Password);
        var page = await (await admin.GetAsync($"{Dashboard}/recurring")).Content.ReadAsStringAsync();
        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        // What a forged form on another site would send (had the browser attached the cookie at all: it is SameSite=Lax).
        var forged = await admin.PostAsync($"{Dashboard}/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "settle")]));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(0, monitoring.EnqueuedCount("sweeps"));

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Dashboard}/recurring/trigger")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "settle")]),
        };
        request.Headers.Add(Meta(page, "csrf-header"), Meta(page, "csrf-token"));
        var genuine = await admin.SendAsync(request);

        Assert.True(genuine.IsSuccessStatusCode, $"The dashboard's own request was refused: {genuine.StatusCode}");
        Assert.Equal(1, monitoring.EnqueuedCount("sweeps")); // jobs are off in this app: the run waits in the queue
    }

    private static string Meta(string page, string name)
    {
        var match = MetaTag().Matches(page).FirstOrDefault(m => m.Groups["name"].Value == name);
        Assert.True(match is not null, $"The dashboard page has no {name} meta tag.");
        return WebUtility.HtmlDecode(match.Groups["content"].Value);
    }

    [GeneratedRegex("""<meta name="(?<name>[^"]+)" content="(?<content>[^"]*)">""")]
    private static partial Regex MetaTag();
}
