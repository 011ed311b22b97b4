using System.ComponentModel.DataAnnotations;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;

namespace Cashout.Portal.Providers;

/// <summary>
/// Where each payout provider is reached and how (section "Providers"). Pointing an adapter at a real provider is
/// a change of these settings only. Secrets are never logged; set them from the environment outside Development.
/// </summary>
public sealed class ProvidersOptions : IValidatableObject
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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var method in Enum.GetValues<PayoutMethod>())
        {
            foreach (var problem in For(method).Problems())
            {
                yield return new ValidationResult($"{Section}:{method}:{problem}");
            }
        }
    }
}

public sealed class ProviderEndpointOptions
{
    /// <summary>The provider's API root, e.g. http://127.0.0.1:5080/sandbox/payoneer/ for the sandbox.</summary>
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

    public Uri BaseUri => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/");

    internal IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return "BaseUrl must be an absolute http(s) URL.";
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
