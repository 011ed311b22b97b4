using System.Net;
using Cashout.Portal.IntegrationTests.Identity;
using Cashout.Portal.Tests.Shared;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>Signs in through the real login form, as a browser would, answering the demo admin's two-factor step.</summary>
public static class SignIn
{
    public static Task<HttpResponseMessage> SubmitLoginAsync(HttpClient client, string email, string password) =>
        HtmlForms.SubmitAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    /// <summary>A cookie-holding client signed in as <paramref name="email"/>.</summary>
    public static async Task<HttpClient> AsAsync(PortalFactory portal, string email, string password)
    {
        var client = portal.CreateBrowserlessClient();
        var response = await SubmitLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var next = response.Headers.Location!.PathAndQuery();
        if (next.StartsWith("/Account/LoginWith2fa", StringComparison.Ordinal))
        {
            // The demo admin has an authenticator (README): answer with the code an app would show now.
            response = await HtmlForms.SubmitAsync(client, next, "login-with-2fa", new Dictionary<string, string>
            {
                ["Input.TwoFactorCode"] = Totp.Code(Totp.DemoAdminSecret, portal.Clock.GetUtcNow()),
            });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        return client;
    }
}
