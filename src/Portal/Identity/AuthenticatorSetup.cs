using System.Text;
using System.Text.Encodings.Web;
using QRCoder;

namespace Cashout.Portal.Identity;

/// <summary>What an authenticator app needs to add the portal: the otpauth URI, its QR code and the key typed by hand.</summary>
internal static class AuthenticatorSetup
{
    public const string Issuer = "Cashout Portal";

    public static string OtpAuthUri(string email, string unformattedKey) =>
        $"otpauth://totp/{UrlEncoder.Default.Encode(Issuer)}:{UrlEncoder.Default.Encode(email)}?secret={unformattedKey}&issuer={UrlEncoder.Default.Encode(Issuer)}&digits=6";

    /// <summary>Groups of four lowercase characters, as authenticator apps show them; spaces and case do not matter.</summary>
    public static string FormatKey(string unformattedKey)
    {
        var result = new StringBuilder();
        for (var position = 0; position < unformattedKey.Length; position += 4)
        {
            if (position > 0)
            {
                result.Append(' ');
            }

            result.Append(unformattedKey.AsSpan(position, Math.Min(4, unformattedKey.Length - position)));
        }

        return result.ToString().ToLowerInvariant();
    }

    /// <summary>The QR code as an SVG data URI, rendered on the server (no script needed on the static page).</summary>
    public static string QrCodeDataUri(string otpAuthUri)
    {
        using var data = QRCodeGenerator.GenerateQrCode(otpAuthUri, QRCodeGenerator.ECCLevel.Q);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }
}
