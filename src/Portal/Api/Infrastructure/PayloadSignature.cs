using System.Security.Cryptography;
using System.Text;
using Cashout.Portal.Api.Credentials;

namespace Cashout.Portal.Api.Infrastructure;

/// <summary>
/// The <c>Payload-Signature</c> header: the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the
/// merchant's signature secret, compared in constant time. Family C signs every request; family A signs the calls
/// that change where money is paid (link, unlink: docs/decisions/019-api-payout-destinations-need-a-signature.md).
/// </summary>
public static class PayloadSignature
{
    public const string Header = "Payload-Signature";

    /// <summary>What a client sends: the lowercase hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Matches(HttpRequest request, ApiClient client, byte[] body)
    {
        var sent = request.Headers[Header].ToString().Trim().ToLowerInvariant();
        return sent.Length == 64
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(client.SignatureSecret, body)), Encoding.ASCII.GetBytes(sent));
    }
}
