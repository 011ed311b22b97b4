using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// A passkey as Identity stores one after a verified attestation, for tests of what the portal does with it (list,
/// rename, remove, count as a second factor). The WebAuthn ceremonies themselves are the browser tests' subject
/// (Chromium's virtual authenticator).
/// </summary>
public static class TestPasskeys
{
    public static UserPasskeyInfo Make(string name, DateTimeOffset createdAt) =>
        new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(77), createdAt, signCount: 0, ["internal"],
            isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [0xa0], clientDataJson: "{}"u8.ToArray())
        {
            Name = name,
        };
}
