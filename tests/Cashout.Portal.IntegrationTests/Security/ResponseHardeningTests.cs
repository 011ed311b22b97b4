using System.Net;
using Cashout.Portal.Audit;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Security;

/// <summary>
/// What every answer carries over real HTTP (Kestrel): the security headers, no Server header, HEAD like GET, and
/// the client's address taken from X-Forwarded-For only when a configured proxy sent it.
/// </summary>
public sealed class ResponseHardeningTests
{
    [Trait("Database", "SqliteOnly")] // headers and routing, the same on every provider: once is enough
    [Theory]
    [InlineData("Account/Login", HttpStatusCode.OK)] // a static page
    [InlineData("", HttpStatusCode.Found)] // a redirect to sign in
    [InlineData("does-not-exist", HttpStatusCode.NotFound)] // the designed 404
    [InlineData("health", HttpStatusCode.OK)] // an endpoint
    [InlineData("cashout/balance", HttpStatusCode.Unauthorized)] // an API error
    public async Task Every_answer_carries_the_security_headers_and_no_server_name(string path, HttpStatusCode status)
    {
        await using var portal = new PortalFactory().WithKestrel();
        using var http = NoRedirects(portal);

        using var response = await http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.False(response.Headers.Contains("Server"), "The response names its server.");
    }

    [Trait("Database", "SqliteOnly")] // headers and routing, the same on every provider: once is enough
    [Fact]
    public async Task The_one_inline_script_carries_the_nonce_of_its_own_response_and_each_response_has_a_new_one()
    {
        await using var portal = new PortalFactory().WithKestrel();
        using var http = NoRedirects(portal);

        var first = await NonceAndPageAsync(http);
        var second = await NonceAndPageAsync(http);

        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.Contains($"<script type=\"importmap\" nonce=\"{first.Nonce}\">", first.Page, StringComparison.Ordinal);
        // Every other script is a file of the portal's own, which script-src 'self' allows.
        var inline = System.Text.RegularExpressions.Regex.Matches(first.Page, "<script(?![^>]*\\ssrc=)[^>]*>");
        Assert.All(inline, tag => Assert.Contains($"nonce=\"{first.Nonce}\"", tag.Value, StringComparison.Ordinal));
    }

    [Trait("Database", "SqliteOnly")] // headers and routing, the same on every provider: once is enough
    [Theory]
    [InlineData("Account/Login", HttpStatusCode.OK)]
    [InlineData("does-not-exist", HttpStatusCode.NotFound)]
    [InlineData("health", HttpStatusCode.OK)]
    public async Task HEAD_answers_like_GET_without_a_body(string path, HttpStatusCode status)
    {
        await using var portal = new PortalFactory().WithKestrel();
        using var http = NoRedirects(portal);

        using var get = await http.GetAsync(path);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(status, get.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Client_address_from_a_configured_proxy_reaches_the_audit_log()
    {
        await using var portal = new PortalFactory().WithSetting("Proxy:KnownProxies:0", "127.0.0.1").WithKestrel();

        var address = await FailedSignInAddressAsync(portal, forwardedFor: "203.0.113.7");

        Assert.Equal("203.0.113.7", address);
    }

    [Theory]
    [InlineData(null)] // no proxy configured: nobody is believed, not even loopback
    [InlineData("10.20.30.40")] // another proxy configured: the loopback caller is not it
    public async Task Spoofed_forwarded_header_from_an_address_that_is_not_a_configured_proxy_changes_nothing(string? knownProxy)
    {
        var factory = new PortalFactory();
        if (knownProxy is not null)
        {
            factory = factory.WithSetting("Proxy:KnownProxies:0", knownProxy);
        }

        await using var portal = factory.WithKestrel();

        var address = await FailedSignInAddressAsync(portal, forwardedFor: "203.0.113.7");

        Assert.Equal("127.0.0.1", address);
    }

    private static async Task<string?> FailedSignInAddressAsync(PortalFactory portal, string forwardedFor)
    {
        using var http = NoRedirects(portal);
        http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        const string email = "nobody.here@cashout.test";

        using var response = await HtmlForms.SubmitAsync(http, "Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Wrong-password-42",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, with its message
        return await portal.WithDbAsync(db => db.AuditEntries
            .Where(e => e.Action == AuditActions.SignInFailed && e.ActorName == email).Select(e => e.IpAddress).SingleAsync());
    }

    private static async Task<(string Nonce, string Page)> NonceAndPageAsync(HttpClient http)
    {
        using var response = await http.GetAsync("Account/Login");
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        return (nonce, await response.Content.ReadAsStringAsync());
    }

    private static HttpClient NoRedirects(PortalFactory portal)
    {
        _ = portal.Services;
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = portal.KestrelAddress };
    }
}
