using System.Text;
using System.Text.RegularExpressions;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Just enough MIME to read back what the portal sent: headers (with RFC 2047 encoded words), and the
/// text/plain and text/html parts decoded from base64 or quoted-printable.
/// </summary>
public sealed partial record ReceivedEmail(string From, string To, string Subject, string Text, string Html)
{
    public static ReceivedEmail Parse(string raw)
    {
        var (headers, body) = SplitHeaders(raw);
        var parts = new Dictionary<string, string>();
        CollectParts(headers, body, parts);
        return new ReceivedEmail(
            Header(headers, "From"),
            Header(headers, "To"),
            Header(headers, "Subject"),
            parts.GetValueOrDefault("text/plain", ""),
            parts.GetValueOrDefault("text/html", ""));
    }

    private static void CollectParts(Dictionary<string, string> headers, string body, Dictionary<string, string> parts)
    {
        var contentType = headers.GetValueOrDefault("content-type", "text/plain");
        var boundary = Boundary().Match(contentType);
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && boundary.Success)
        {
            foreach (var section in body.Split("--" + boundary.Groups[1].Value).Skip(1))
            {
                if (section.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                var (partHeaders, partBody) = SplitHeaders(section.TrimStart('\r', '\n'));
                CollectParts(partHeaders, partBody, parts);
            }

            return;
        }

        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        parts[mediaType] = headers.GetValueOrDefault("content-transfer-encoding", "7bit").ToLowerInvariant() switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Replace(body, @"\s", ""))),
            "quoted-printable" => DecodeQuotedPrintable(body),
            _ => body,
        };
    }

    private static (Dictionary<string, string> Headers, string Body) SplitHeaders(string raw)
    {
        raw = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var end = raw.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? raw : raw[..end];
        var body = end < 0 ? "" : raw[(end + 2)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split('\n'))
        {
            if ((line.StartsWith(' ') || line.StartsWith('\t')) && last is not null)
            {
                headers[last] += " " + line.Trim();
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, body);
    }

    private static string Header(Dictionary<string, string> headers, string name) =>
        EncodedWord().Replace(headers.GetValueOrDefault(name, ""), match =>
        {
            var bytes = match.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromBase64String(match.Groups[3].Value)
                : Encoding.UTF8.GetBytes(DecodeQuotedPrintable(match.Groups[3].Value.Replace('_', ' ')));
            return Encoding.GetEncoding(match.Groups[1].Value).GetString(bytes);
        }).Replace("?= =?", "", StringComparison.Ordinal);

    private static string DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var source = text.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal);
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '=' && i + 2 < source.Length && Uri.IsHexDigit(source[i + 1]) && Uri.IsHexDigit(source[i + 2]))
            {
                bytes.Add(Convert.ToByte(source.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(source[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex("boundary=\"?([^\";]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex Boundary();

    [GeneratedRegex(@"=\?([^?]+)\?([BQbq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();
}
