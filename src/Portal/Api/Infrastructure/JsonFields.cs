using System.Text.Json;

namespace Cashout.Portal.Api.Infrastructure;

/// <summary>A problem with one field of a request: which field, what was sent and what is wrong.</summary>
public sealed record FieldError(string Name, string? Value, string Message);

/// <summary>
/// Reads typed fields from a JSON object and collects clear messages for what is missing or of the wrong type,
/// so every family answers bad input the same careful way. Names may be dotted paths ("amount.value").
/// </summary>
public sealed class JsonFields(JsonElement root)
{
    private readonly List<FieldError> errors = [];

    public IReadOnlyList<FieldError> Errors => errors;

    public bool IsValid => errors.Count == 0;

    public bool Has(string path) => TryFind(path, out var value) && value.ValueKind != JsonValueKind.Null;

    public long? Integer(string path, bool required)
    {
        if (!Present(path, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        errors.Add(new FieldError(path, Show(value), $"{path} must be an integer (minor units)"));
        return null;
    }

    public string? Text(string path, bool required, int maxLength)
    {
        if (!Present(path, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(path, Show(value), $"{path} must be a string"));
            return null;
        }

        if (!TryGetString(value, out var raw))
        {
            errors.Add(new FieldError(path, null, $"{path} must be valid Unicode text"));
            return null;
        }

        var text = raw.Trim();
        // A NUL (which PostgreSQL cannot store in text) or another control character is never part of an id, a name or
        // a reason; line breaks and tabs are.
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors.Add(new FieldError(path, null, $"{path} must not contain control characters"));
            return null;
        }

        if (required && text.Length == 0)
        {
            errors.Add(new FieldError(path, "", $"{path} is required"));
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(new FieldError(path, Show(value), $"{path} must be at most {maxLength} characters"));
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    public bool? Boolean(string path)
    {
        if (!Present(path, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(new FieldError(path, Show(value), $"{path} must be true or false"));
        return null;
    }

    public void Add(string path, string? value, string message) => errors.Add(new FieldError(path, value, message));

    private bool Present(string path, bool required, out JsonElement value)
    {
        if (TryFind(path, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            errors.Add(new FieldError(path, null, $"{path} is required"));
        }

        return false;
    }

    private bool TryFind(string path, out JsonElement value)
    {
        value = root;
        foreach (var part in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A JSON string as .NET text; false for escapes that are not valid Unicode (a lone surrogate).</summary>
    public static bool TryGetString(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>What was sent, shortened: echoed back to the caller, never more than 100 characters.</summary>
    private static string Show(JsonElement value)
    {
        var raw = value.ValueKind == JsonValueKind.String && TryGetString(value, out var text) ? text : value.GetRawText();
        return raw.Length > 100 ? raw[..100] + "…" : raw;
    }
}
