using System.Net;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>/Account/StepUp: re-authentication before sensitive actions (the use cases check its claim again).</summary>
public sealed class StepUpTests : IAsyncLifetime
{
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Fresh_sign_in_counts_as_a_recent_re_authentication_until_the_step_up_window_ends()
    {
        var response = await SignIn.SubmitLoginAsync(portal.CreateBrowserlessClient(), DemoSeed.MerchantEmail, DemoSeed.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var merchant = Caller.FromPrincipal(SignedInPrincipal(response));
        var policy = portal.Services.GetRequiredService<StepUpPolicy>();

        // The password was typed seconds ago: the first sensitive action does not ask for it again.
        Assert.Equal(portal.Clock.GetUtcNow().ToUnixTimeSeconds(), merchant.SteppedUpAt?.ToUnixTimeSeconds());
        Assert.True(policy.IsSatisfied(merchant));

        // An old session asks again.
        portal.Clock.Advance(policy.Window + TimeSpan.FromSeconds(1));
        Assert.False(policy.IsSatisfied(merchant));
    }

    [Fact]
    public async Task Step_up_returns_to_the_page_that_asked_when_the_password_is_right()
    {
        var client = await SignedInMerchantAsync();

        var response = await HtmlForms.SubmitAsync(client, "/Account/StepUp?returnUrl=%2Fpayment-methods", "step-up", new Dictionary<string, string>
        {
            ["Input.Password"] = DemoSeed.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/payment-methods", response.Headers.Location!.PathAndQuery());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("cashout.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Step_up_stays_with_an_error_and_counts_a_failed_attempt_when_the_password_is_wrong()
    {
        var client = await SignedInMerchantAsync();

        var response = await HtmlForms.SubmitAsync(client, "/Account/StepUp?returnUrl=%2F", "step-up", new Dictionary<string, string>
        {
            ["Input.Password"] = "Not-the-password-9",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not correct", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await portal.WithDbAsync(db => db.Users.Where(u => u.Email == DemoSeed.MerchantEmail).Select(u => u.AccessFailedCount).SingleAsync()));
    }

    [Fact]
    public async Task Step_up_page_sends_an_anonymous_visitor_to_sign_in()
    {
        var response = await portal.CreateBrowserlessClient().GetAsync("/Account/StepUp");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignedInMerchantAsync()
    {
        var client = portal.CreateBrowserlessClient();
        var login = await HtmlForms.SubmitAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = DemoSeed.MerchantEmail,
            ["Input.Password"] = DemoSeed.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    /// <summary>The principal of the sign-in cookie a response sets, read with the app's own ticket format.</summary>
    private System.Security.Claims.ClaimsPrincipal SignedInPrincipal(HttpResponseMessage response)
    {
        var options = portal.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var cookies = response.Headers.GetValues("Set-Cookie")
            .Select(header => header.Split(';')[0].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        var value = cookies[options.Cookie.Name!];
        // Large tickets are split in chunks: "chunks-N" and then Name + "C1" ... "CN".
        if (value.StartsWith("chunks-", StringComparison.Ordinal))
        {
            var count = int.Parse(value["chunks-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            value = string.Concat(Enumerable.Range(1, count).Select(i => cookies[$"{options.Cookie.Name}C{i}"]));
        }

        return options.TicketDataFormat.Unprotect(Uri.UnescapeDataString(value))!.Principal;
    }
}
