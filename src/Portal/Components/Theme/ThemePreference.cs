namespace Cashout.Portal.Components.Theme;

/// <summary>Light, dark, or whatever the person's system prefers.</summary>
public enum ThemeChoice
{
    System,
    Light,
    Dark,
}

/// <summary>
/// The person's theme, read on every page request so that the server renders the right palette and no page flashes:
/// the choice (a cookie), and the system's preference (the browser's colour-scheme client hint, else the last one the
/// circuit saw, kept in a cookie). The circuit gets the same value from App.razor and writes both cookies through theme.js.
/// </summary>
public sealed record ThemePreference(ThemeChoice Choice, bool SystemIsDark)
{
    public const string ChoiceCookie = "cashout.theme";
    public const string SystemCookie = "cashout.system-theme";
    public const string ColorSchemeHint = "Sec-CH-Prefers-Color-Scheme";

    public static readonly ThemePreference Default = new(ThemeChoice.System, false);

    public bool IsDark => Choice switch
    {
        ThemeChoice.Dark => true,
        ThemeChoice.Light => false,
        _ => SystemIsDark,
    };

    public static ThemePreference From(HttpRequest request)
    {
        var cookies = request.Cookies;
        var hint = request.Headers[ColorSchemeHint].ToString().Trim('"');
        return new(
            Enum.TryParse<ThemeChoice>(cookies[ChoiceCookie], ignoreCase: true, out var choice) && Enum.IsDefined(choice) ? choice : ThemeChoice.System,
            hint is "dark" or "light" ? hint == "dark" : cookies[SystemCookie] == "dark");
    }

    /// <summary>The value App.razor hands to the interactive router (a string survives the circuit's parameter serialization).</summary>
    public string Serialize() => $"{Choice}:{(SystemIsDark ? "dark" : "light")}";

    public static ThemePreference Parse(string? value)
    {
        var parts = (value ?? "").Split(':');
        return parts.Length == 2 && Enum.TryParse<ThemeChoice>(parts[0], out var choice) && Enum.IsDefined(choice)
            ? new ThemePreference(choice, parts[1] == "dark")
            : Default;
    }
}
