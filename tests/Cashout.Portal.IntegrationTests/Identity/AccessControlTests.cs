using System.Net;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Tests.Shared;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>Role-protected routes refuse the wrong user on the server, whatever the navigation shows.</summary>
public sealed class AccessControlTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory portal;

    public AccessControlTests(PortalFactory portal) => this.portal = portal;

    [Fact]
    public async Task Admin_page_redirects_to_login_when_nobody_is_signed_in()
    {
        var response = await portal.CreateBrowserlessClient().GetAsync("/admin/merchants");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_page_is_refused_when_a_merchant_opens_it()
    {
        var merchant = await SignedInAsync(DemoSeed.MerchantEmail);

        var response = await merchant.GetAsync("/admin/merchants");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_page_opens_with_the_verification_queue_and_the_merchants_grid_when_the_admin_opens_it()
    {
        var admin = await SignedInAsync(DemoSeed.AdminEmail);

        var response = await admin.GetAsync("/admin/merchants");

        // The grid asks the server for its rows once the page is interactive (ListMerchants is tested on its own and
        // the rows in the browser tests); the page itself, not the access-denied notice, is what the admin gets.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.TextAsync();
        Assert.Contains("Verification queue", text, StringComparison.Ordinal);
        Assert.Contains("All merchants", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Access denied", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_sign_in_asks_for_the_authenticator_code_after_the_password()
    {
        var client = portal.CreateBrowserlessClient();

        var response = await HtmlForms.SubmitAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = DemoSeed.AdminEmail,
            ["Input.Password"] = DemoSeed.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/LoginWith2fa", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        var wrongCode = await HtmlForms.SubmitAsync(client, response.Headers.Location!.PathAndQuery(), "login-with-2fa", new Dictionary<string, string>
        {
            ["Input.TwoFactorCode"] = "000000" == Totp.Code(Totp.DemoAdminSecret, DateTimeOffset.UtcNow) ? "111111" : "000000",
        });
        Assert.Equal(HttpStatusCode.OK, wrongCode.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/merchants")).StatusCode);
    }

    [Fact]
    public async Task Login_is_locked_out_after_five_wrong_passwords()
    {
        var client = portal.CreateBrowserlessClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await HtmlForms.SubmitAsync(client, "/Account/Login", "login", new Dictionary<string, string>
            {
                ["Input.Email"] = DemoSeed.NewcomerEmail,
                ["Input.Password"] = "Wrong-password-" + attempt,
            });
        }

        var withRightPassword = await HtmlForms.SubmitAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = DemoSeed.NewcomerEmail,
            ["Input.Password"] = DemoSeed.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, withRightPassword.StatusCode);
        Assert.StartsWith("/Account/Lockout", withRightPassword.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    private Task<HttpClient> SignedInAsync(string email) => SignIn.AsAsync(portal, email, DemoSeed.Password);
}

internal static class UriExtensions
{
    /// <summary>The path and query of a Location header, whether the server sent it absolute or relative.</summary>
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
