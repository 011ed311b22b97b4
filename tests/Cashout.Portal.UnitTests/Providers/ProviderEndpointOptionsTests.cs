using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Providers;

namespace Cashout.Portal.UnitTests.Providers;

public sealed class ProviderEndpointOptionsTests
{
    [Theory]
    [InlineData("https://api.payoneer.example/v4/", true)]
    [InlineData("https://api.payoneer.example/v4/", false)]
    [InlineData("sandbox/payoneer/", true)]
    [InlineData("/sandbox/payoneer/", true)]
    [InlineData("", true)]
    public void Accepts_the_base_url_when_absolute_or_relative_to_the_in_app_sandbox(string baseUrl, bool inAppSandbox) =>
        Assert.DoesNotContain(Endpoint(baseUrl).Problems(inAppSandbox), p => p.StartsWith("BaseUrl", StringComparison.Ordinal));

    [Theory]
    [InlineData("sandbox/payoneer/", false)]
    [InlineData("", false)]
    [InlineData("ftp://files.example/", true)]
    [InlineData("ftp://files.example/", false)]
    public void Refuses_the_base_url_when_neither_absolute_http_nor_relative_to_an_enabled_sandbox(string baseUrl, bool inAppSandbox) =>
        Assert.Contains(Endpoint(baseUrl).Problems(inAppSandbox), p => p.StartsWith("BaseUrl must be an absolute http(s) URL", StringComparison.Ordinal));

    [Theory]
    [InlineData("", "sandbox/payoneer/")]
    [InlineData("sandbox/payoneer", "sandbox/payoneer/")]
    [InlineData("/sandbox/payoneer/", "sandbox/payoneer/")]
    public void PortalRelativeBaseUrl_is_the_sandbox_path_under_the_portals_root(string baseUrl, string expected) =>
        Assert.Equal(expected, Endpoint(baseUrl).PortalRelativeBaseUrl(PayoutMethod.Payoneer));

    [Fact]
    public void TotalTimeout_covers_every_attempt_and_the_backoff_between_them() =>
        Assert.Equal(
            TimeSpan.FromSeconds(32),
            ProviderResilience.TotalTimeout(new ProviderEndpointOptions { TimeoutSeconds = 10, MaxAttempts = 3, RetryBaseDelayMilliseconds = 500 }));

    private static ProviderEndpointOptions Endpoint(string baseUrl) => new() { BaseUrl = baseUrl };
}
