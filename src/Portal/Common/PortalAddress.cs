using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Common;

/// <summary>The portal itself (section "Portal").</summary>
public sealed class PortalOptions : IValidatableObject
{
    public const string Section = "Portal";

    /// <summary>
    /// The portal's public root, e.g. https://cashout.example.com/ behind a proxy. Empty: the address the server
    /// really listens on (whatever <c>--urls</c> or <c>ASPNETCORE_URLS</c> said).
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl.Length > 0 && !PortalAddress.IsHttpUrl(PublicBaseUrl))
        {
            yield return new ValidationResult("Portal:PublicBaseUrl must be an absolute http(s) URL when set.");
        }
    }
}

/// <summary>
/// The portal's own root URL, for what calls the portal from inside the process: the provider sandbox's webhooks
/// and the adapters pointed at the in-app sandbox. <c>Portal:PublicBaseUrl</c> when set; otherwise the address the
/// server listens on, read from <see cref="IServerAddressesFeature"/> once it has started (so a free port picked by
/// a script, or <c>--urls http://127.0.0.1:8080</c>, needs no other setting). Resolved on first use, then kept.
/// </summary>
public sealed class PortalAddress(IServer server, IHostApplicationLifetime lifetime, IOptions<PortalOptions> options, IConfiguration configuration)
{
    private Uri? root;

    /// <summary>The portal's root (ending in '/'); waits until the server listens when no public URL is set.</summary>
    public async ValueTask<Uri> GetAsync(CancellationToken cancellationToken)
    {
        if (root is not null)
        {
            return root;
        }

        if (options.Value.PublicBaseUrl.Length > 0)
        {
            return root = new Uri(WithTrailingSlash(options.Value.PublicBaseUrl));
        }

        await StartedAsync(cancellationToken);
        return root = Choose(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
    }

    /// <summary>
    /// The root for links in emails: as <see cref="GetAsync"/>, except while the app is still starting (the demo seed
    /// writes its history then, before the server listens), when the configured URLs (--urls, ASPNETCORE_URLS, else
    /// Kestrel's default) say where it is about to listen. Waiting there would wait for a start that waits for it.
    /// </summary>
    public ValueTask<Uri> ForLinksAsync(CancellationToken cancellationToken)
    {
        if (root is not null || options.Value.PublicBaseUrl.Length > 0 || lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return GetAsync(cancellationToken);
        }

        var configured = (configuration["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return configured.Any(url => url.EndsWith(":0", StringComparison.Ordinal) || url.Contains(":0/", StringComparison.Ordinal))
            ? GetAsync(cancellationToken)
            : ValueTask.FromResult(Choose(configured));
    }

    /// <summary>
    /// The address to call among those the server listens on: plain http first (no certificate to trust for a call
    /// to ourselves), and a wildcard host (0.0.0.0, [::]) replaced by loopback, which it includes.
    /// </summary>
    public static Uri Choose(IEnumerable<string> listening)
    {
        var candidates = listening
            .Select(address => Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null)
            .OfType<Uri>()
            .OrderBy(uri => uri.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .ToList();
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException("The server listens on no http(s) address; set Portal:PublicBaseUrl.");
        }

        var chosen = new UriBuilder(candidates[0]) { Path = "/", Query = "", Fragment = "" };
        if (IPAddress.TryParse(chosen.Host.Trim('[', ']'), out var ip))
        {
            if (ip.Equals(IPAddress.Any))
            {
                chosen.Host = IPAddress.Loopback.ToString();
            }
            else if (ip.Equals(IPAddress.IPv6Any))
            {
                chosen.Host = "[::1]";
            }
        }

        return chosen.Uri;
    }

    internal static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>A root URL that relative paths extend instead of replacing its last segment.</summary>
    internal static string WithTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";

    private async Task StartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var whenStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }
}

public static class PortalAddressExtensions
{
    /// <summary>The portal's own address (<see cref="PortalAddress"/>) and its setting, Portal:PublicBaseUrl.</summary>
    public static void AddPortalAddress(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PortalAddress>();
    }
}
