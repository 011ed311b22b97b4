using System.Net;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>/Account/StepUp: re-authentication before sensitive actions (the use cases check its claim again).</summary>
public sealed class StepUpTests : IAsyncLifetime
{
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

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
}
