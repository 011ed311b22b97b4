using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cashout.Portal.Common;

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com): header <c>webhook-signature</c> holds
/// <c>v1,</c> + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")), possibly several separated by spaces
/// (during a secret rotation), keyed with the bytes of a <c>whsec_</c>-prefixed base64 secret. The one implementation
/// for both directions: the providers' webhooks are verified with it (and signed with it by the sandbox), and the
/// portal's own webhooks to merchants are signed with it.
/// </summary>
public static class StandardWebhooks
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>How far a webhook's timestamp may be from now, either way (replay protection).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>A new signing secret: 32 random bytes, shown to its owner once.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool TryDecodeSecret(string? secret, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Length >= 24;
    }

    public static string Sign(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Mac(key, id, timestamp, body));

    /// <summary>Signs a text body with a <c>whsec_</c> secret (the portal's own secrets are always well-formed).</summary>
    public static string Sign(string secret, string id, long timestamp, string body) =>
        TryDecodeSecret(secret, out var key)
            ? Sign(key, id, timestamp, Encoding.UTF8.GetBytes(body))
            : throw new ArgumentException("Not a whsec_ signing secret.", nameof(secret));

    public static WebhookVerdict Verify(byte[] key, string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(signatures)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerdict.MissingHeaders;
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if ((now - sentAt).Duration() > Tolerance)
        {
            return WebhookVerdict.OutsideTolerance;
        }

        var expected = Mac(key, id, seconds, body);
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!candidate.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var given = new byte[expected.Length];
            if (Convert.TryFromBase64String(candidate[3..], given, out var written) && written == expected.Length
                && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return WebhookVerdict.Valid;
            }
        }

        return WebhookVerdict.BadSignature;
    }

    private static byte[] Mac(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, signed);
    }
}

public enum WebhookVerdict
{
    Valid,
    MissingHeaders,
    OutsideTolerance,
    BadSignature,
}
