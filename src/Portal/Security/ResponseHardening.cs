using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Cashout.Portal.Security;

/// <summary>
/// Which reverse proxies may tell the portal who the client is (<c>Proxy:KnownProxies</c>, <c>Proxy:KnownNetworks</c>).
/// Only a request whose connection comes from one of them has its X-Forwarded-For and X-Forwarded-Proto believed;
/// from anyone else those headers are ignored. Nothing configured: no proxy is trusted, not even loopback.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Addresses of the proxies in front of the portal, e.g. <c>127.0.0.1</c> for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; init; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; init; } = [];

    public bool Any => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>
/// What every response carries, whatever answers it:
/// a Content-Security-Policy that Blazor Server runs under (scripts from the portal only; the one inline script,
/// the import map, carries the request's nonce), no sniffing, no referrer to other sites, no powerful browser
/// features, no Server header; HEAD answered as GET without a body; and the client's address from trusted proxies.
/// </summary>
public static class ResponseHardening
{
    private const string NonceKey = "csp-nonce";

    /// <summary>The nonce of this request's Content-Security-Policy, for the inline script a page must carry.</summary>
    public static string CspNonce(HttpContext context) =>
        context.Items[NonceKey] as string ?? throw new InvalidOperationException("UseResponseHardening runs before any page.");

    public static void AddResponseHardening(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // frame-ancestors is in the policy below; antiforgery's X-Frame-Options is set there too, once.
        builder.Services.Configure<AntiforgeryOptions>(options => options.SuppressXFrameOptionsHeader = true);

        builder.Services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Proxy:KnownProxies must list IP addresses.")
            .Validate(o => o.KnownNetworks.All(n => IPNetwork.TryParse(n, out _)), "Proxy:KnownNetworks must list networks in CIDR notation (10.0.0.0/24).")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1; // the address the nearest trusted proxy saw
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(IPNetwork.Parse(network));
            }
        });
    }

    /// <summary>First in the pipeline, so that every later step sees the real client and every answer the headers.</summary>
    public static void UseResponseHardening(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Any)
        {
            app.UseForwardedHeaders();
        }

        app.Use(async (context, next) =>
        {
            // Hex, not base64: Razor HTML-encodes a '+' in the attribute (&#x2B;), so the page's text and the header
            // differed whenever the random bytes gave one (browsers decode it; the nonce test failed about one run in three).
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), publickey-credentials-get=(self), publickey-credentials-create=(self)";

            if (HttpMethods.IsHead(context.Request.Method))
            {
                // Endpoints answer GET; HEAD gets the same status and headers, and the body goes nowhere.
                context.Request.Method = HttpMethods.Get;
                context.Response.Body = Stream.Null;
            }

            await next(context);
        });
    }

    /// <summary>
    /// Scripts only from the portal itself, plus the import map with this request's nonce; styles from the portal and
    /// inline style attributes (the component libraries position popups with them); the circuit's WebSocket to the
    /// same origin; no plugins, no framing, forms and base URL only to the portal.
    /// </summary>
    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
