using System.Security.Cryptography;
using System.Text;

namespace Cashout.Portal.Webhooks;

/// <summary>
/// Standard Webhooks signatures (https://www.standardwebhooks.com): <c>v1,</c> + base64 HMAC-SHA256 of
/// <c>{id}.{timestamp}.{body}</c>, keyed with the bytes of a <c>whsec_</c>-prefixed base64 secret.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new signing secret: 32 random bytes, shown to the merchant once.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>
    /// Whether one of the space-separated signatures in <paramref name="signatureHeader"/> matches, compared in
    /// constant time. (Receivers also check the timestamp's tolerance and de-duplicate by id.)
    /// </summary>
    public static bool Verify(string secret, string messageId, long timestamp, string body, string signatureHeader)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, messageId, timestamp, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate)));
    }
}
