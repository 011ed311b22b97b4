using System.Text.Json;

namespace Cashout.Portal.Api.Infrastructure;

/// <summary>Reads a request body, refusing anything over <see cref="MaxBytes"/> before it is buffered.</summary>
public static class ApiBody
{
    public const int MaxBytes = 64 * 1024;
    public const string TooLargeMessage = "Request body too large: the limit is 65536 bytes";
    public const string UnsupportedMediaTypeMessage = "Unsupported Content-Type: send the body as application/json";

    /// <summary>A body is JSON only when it says so: application/json, or a +json type (charset allowed).</summary>
    public static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The exact bytes (family C signs them), or null when the body is over the limit.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Parses a JSON object with a bounded depth and no property named twice (<c>{"amount":10000,"amount":1}</c> was
    /// read as 1: which one a reader keeps is the kind of ambiguity an attacker uses); the message says what is
    /// wrong without echoing internals.
    /// </summary>
    public static bool TryParseObject(byte[] body, out JsonElement root, out string error)
    {
        root = default;
        if (body.Length == 0)
        {
            error = "Request body is required: send a JSON object";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            error = "Malformed JSON: send a JSON object (at most 16 levels deep, each property once)";
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "Request body must be a JSON object";
            return false;
        }

        error = "";
        return true;
    }
}
