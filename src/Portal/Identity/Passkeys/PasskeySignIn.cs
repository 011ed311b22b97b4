using System.Security.Claims;

namespace Cashout.Portal.Identity.Passkeys;

/// <summary>
/// How a session that began with a passkey is told apart (ADR 030): its cookie carries <c>amr=pop</c> (proof of
/// possession of a key, RFC 8176) beside <c>amr=mfa</c>, since the passkey is only accepted with user verification
/// (a PIN or biometric on the device): something the person has and something they know or are.
/// </summary>
public static class PasskeySignIn
{
    public const string AmrClaimType = "amr";
    public const string ProofOfPossession = "pop";
    public const string MultiFactor = "mfa";

    /// <summary>The most passkeys one person may register (a few devices and a security key or two).</summary>
    public const int MaxPerUser = 10;

    public static IReadOnlyList<Claim> Claims { get; } = [new(AmrClaimType, ProofOfPossession), new(AmrClaimType, MultiFactor)];

    public static bool WasUsedBy(ClaimsPrincipal principal) => principal.HasClaim(AmrClaimType, ProofOfPossession);
}
