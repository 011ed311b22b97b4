namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain): a platform authenticator built into
/// the browser context's page that holds discoverable passkeys and verifies the user without a prompt, as a laptop's
/// fingerprint reader would. WebAuthn needs a domain, not an IP address, as the relying party: pages using it are
/// opened on <see cref="OnLocalhost"/>.
/// </summary>
public static class VirtualAuthenticator
{
    public static async Task AddAsync(IPage page)
    {
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
    }

    /// <summary>The same portal addressed as localhost (WebAuthn refuses 127.0.0.1 as a relying party id).</summary>
    public static Uri OnLocalhost(Uri baseUrl) => new UriBuilder(baseUrl) { Host = "localhost" }.Uri;
}
