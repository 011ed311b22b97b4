namespace Cashout.Portal.Components.Theme;

/// <summary>Light, dark, or whatever the person's system prefers.</summary>
public enum ThemeChoice
{
    System,
    Light,
    Dark,
}

/// <summary>
/// The person's theme, read from two cookies on every page request so that the server renders the right palette and
/// no page flashes: the choice, and the system's last known preference (written by the browser when the choice is
/// System). The circuit gets the same value from App.razor, and writes both cookies back through theme.js.
/// </summary>
public sealed record ThemePreference(ThemeChoice Choice, bool SystemIsDark)
{
    public const string ChoiceCookie = "cashout.theme";
    public const string SystemCookie = "cashout.system-theme";

    public static readonly ThemePreference Default = new(ThemeChoice.System, false);

    public bool IsDark => Choice switch
    {
        ThemeChoice.Dark => true,
        ThemeChoice.Light => false,
        _ => SystemIsDark,
    };

    public static ThemePreference From(IRequestCookieCollection cookies) => new(
        Enum.TryParse<ThemeChoice>(cookies[ChoiceCookie], ignoreCase: true, out var choice) && Enum.IsDefined(choice) ? choice : ThemeChoice.System,
        cookies[SystemCookie] == "dark");

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
