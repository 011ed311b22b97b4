using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Sandbox;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Providers;

/// <summary>
/// Where each payout provider is reached and how (section "Providers"). Pointing an adapter at a real provider is
/// a change of these settings only. Secrets are never logged; set them from the environment outside Development.
/// </summary>
public sealed class ProvidersOptions
{
    public const string Section = "Providers";

    public ProviderEndpointOptions Payoneer { get; set; } = new();

    public ProviderEndpointOptions Tipalti { get; set; } = new();

    public ProviderEndpointOptions Bank { get; set; } = new();

    public ProviderEndpointOptions For(PayoutMethod method) => method switch
    {
        PayoutMethod.Payoneer => Payoneer,
        PayoutMethod.Tipalti => Tipalti,
        PayoutMethod.Bank => Bank,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}

/// <summary>
/// Validates <see cref="ProvidersOptions"/> at start. A base URL relative to the portal is the in-app sandbox, so it is
/// accepted only while the sandbox is enabled (which only Development allows): elsewhere a provider without an
/// absolute URL stops the start.
/// </summary>
internal sealed class ProvidersOptionsValidator(IOptions<SandboxOptions> sandbox) : IValidateOptions<ProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvidersOptions options)
    {
        var problems = Enum.GetValues<PayoutMethod>()
            .SelectMany(method => options.For(method).Problems(sandbox.Value.Enabled).Select(problem => $"{ProvidersOptions.Section}:{method}:{problem}"))
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

public sealed class ProviderEndpointOptions
{
    /// <summary>
    /// The provider's API root (absolute http(s) URL). While the in-app sandbox is enabled (Development) it may be a
    /// path relative to the portal's own address (<see cref="PortalAddress"/>), e.g. <c>sandbox/payoneer/</c>;
    /// empty there means <c>sandbox/{provider}/</c>.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Sent as a bearer token on every call to the provider.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The Standard Webhooks secret (<c>whsec_</c> + base64) that signs the provider's webhooks.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>One attempt's time limit (the whole call's is derived: see <see cref="ProviderResilience"/>).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts per call when the provider fails transiently (timeouts, 5xx, 408, 429, refused connections); 1 never retries.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The median wait before the first retry; each next one about twice as long (exponential, with jitter).</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 500;

    /// <summary>The API root when <see cref="BaseUrl"/> is absolute; null when it is relative to the portal.</summary>
    internal Uri? AbsoluteBaseUri => PortalAddress.IsHttpUrl(BaseUrl) ? new Uri(PortalAddress.WithTrailingSlash(BaseUrl)) : null;

    /// <summary>The API root's path relative to the portal's own root (the in-app sandbox).</summary>
    internal string PortalRelativeBaseUrl(PayoutMethod method) =>
        BaseUrl.Length == 0 ? $"sandbox/{method.ToApiName()}/" : PortalAddress.WithTrailingSlash(BaseUrl).TrimStart('/');

    internal IEnumerable<string> Problems(bool inAppSandboxEnabled)
    {
        if (AbsoluteBaseUri is null && !(inAppSandboxEnabled && Uri.TryCreate(BaseUrl, UriKind.Relative, out _)))
        {
            yield return inAppSandboxEnabled
                ? "BaseUrl must be an absolute http(s) URL, or a path relative to the portal for the in-app sandbox."
                : "BaseUrl must be an absolute http(s) URL.";
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return "ApiKey is required.";
        }

        if (!StandardWebhooks.TryDecodeSecret(WebhookSecret, out _))
        {
            yield return "WebhookSecret must be 'whsec_' followed by base64 (at least 24 bytes).";
        }

        if (TimeoutSeconds is < 1 or > 300)
        {
            yield return "TimeoutSeconds must be between 1 and 300.";
        }

        if (MaxAttempts is < 1 or > 10)
        {
            yield return "MaxAttempts must be between 1 and 10.";
        }

        if (RetryBaseDelayMilliseconds is < 1 or > 60_000)
        {
            yield return "RetryBaseDelayMilliseconds must be between 1 and 60000.";
        }
    }
}
