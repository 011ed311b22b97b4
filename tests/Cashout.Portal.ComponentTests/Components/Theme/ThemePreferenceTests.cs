using Cashout.Portal.Components.Theme;
using Microsoft.AspNetCore.Http;

namespace Cashout.Portal.ComponentTests.Components.Theme;

public sealed class ThemePreferenceTests
{
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData(null, "\"dark\"", null, true)]
    [InlineData(null, null, "dark", true)]
    [InlineData(null, "\"light\"", "dark", false)]
    [InlineData("light", "\"dark\"", "dark", false)]
    [InlineData("dark", "\"light\"", null, true)]
    [InlineData("system", "\"dark\"", null, true)]
    [InlineData("purple", "\"dark\"", null, true)]
    public void Does_render_dark_when_the_person_chose_it_or_their_system_prefers_it(string? choice, string? hint, string? lastSeenSystem, bool dark)
    {
        var request = new DefaultHttpContext().Request;
        var cookies = new List<string>();
        if (choice is not null)
        {
            cookies.Add($"{ThemePreference.ChoiceCookie}={choice}");
        }

        if (lastSeenSystem is not null)
        {
            cookies.Add($"{ThemePreference.SystemCookie}={lastSeenSystem}");
        }

        request.Headers.Cookie = string.Join("; ", cookies);
        if (hint is not null)
        {
            request.Headers[ThemePreference.ColorSchemeHint] = hint;
        }

        var preference = ThemePreference.From(request);

        Assert.Equal(dark, preference.IsDark);
        // The interactive router gets the same preference through a string parameter.
        Assert.Equal(preference, ThemePreference.Parse(preference.Serialize()));
    }
}
