using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.IntegrationTests.Providers;

/// <summary>The provider sandbox's settings are checked as the app starts, like every other section.</summary>
public sealed class SandboxSettingsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task App_refuses_to_start_with_a_clear_message_when_the_webhook_parallelism_is_out_of_range(string parallelism)
    {
        await using var portal = new PortalFactory().WithSetting("Sandbox:WebhookParallelism", parallelism);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(portal.StartDirectlyAsync);

        Assert.Contains("WebhookParallelism must be between 1 and 64", error.Message, StringComparison.Ordinal);
    }
}
