using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Portal;

/// <summary>The portal reads its settings once, at start (docs/decisions/038-settings-read-at-start.md).</summary>
public sealed class SettingsTests
{
    [Fact]
    public async Task Settings_files_are_not_watched_so_commits_to_the_database_beside_them_wake_nothing()
    {
        await using var portal = new PortalFactory();

        var configuration = (IConfigurationRoot)portal.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, file => file.Source.Path == "appsettings.json");
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is reloaded on change"));
    }
}
