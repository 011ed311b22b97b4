using Cashout.Portal.IntegrationTests.Infrastructure;

namespace Cashout.Portal.IntegrationTests.Providers;

/// <summary>A provider's base URL relative to the portal is the in-app sandbox: nowhere else does the app start with one.</summary>
public sealed class ProviderSettingsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("sandbox/payoneer/")]
    public async Task Production_refuses_to_start_when_a_provider_base_url_is_missing_or_relative(string baseUrl)
    {
        await using var portal = new PortalFactory().InProduction().WithSetting("Providers:Payoneer:BaseUrl", baseUrl);

        var error = await Assert.ThrowsAnyAsync<Exception>(portal.StartDirectlyAsync);

        Assert.Contains("Providers:Payoneer:BaseUrl must be an absolute http(s) URL.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_refuses_to_start_with_relative_provider_urls_when_the_sandbox_is_off()
    {
        await using var portal = new PortalFactory().WithSetting("Sandbox:Enabled", "false");

        var error = await Assert.ThrowsAnyAsync<Exception>(portal.StartDirectlyAsync);

        Assert.Contains("Providers:Payoneer:BaseUrl must be an absolute http(s) URL.", error.ToString(), StringComparison.Ordinal);
    }
}
