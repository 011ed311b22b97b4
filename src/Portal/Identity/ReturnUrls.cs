using Microsoft.AspNetCore.Components;

namespace Cashout.Portal.Identity;

/// <summary>
/// Keeps the sign-in pages' returnUrl on this site (no open redirect). RedirectToLogin passes an absolute URL of
/// this site and the cookie handler a local path; anything else (another host, a scheme such as javascript:,
/// a protocol-relative "//host") becomes the home page.
/// </summary>
internal static class ReturnUrls
{
    public static string ToLocal(string? returnUrl, NavigationManager navigation)
    {
        if (string.IsNullOrWhiteSpace(returnUrl))
        {
            return "/";
        }

        // On Linux "/path" parses as an absolute file: URI, hence the scheme check.
        if (Uri.TryCreate(returnUrl, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            var site = new Uri(navigation.BaseUri);
            var sameSite = Uri.Compare(absolute, site, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
            return sameSite ? absolute.PathAndQuery : "/";
        }

        return IsLocalPath(returnUrl) ? returnUrl : "/";
    }

    /// <summary>The same rule as MVC's Url.IsLocalUrl: "/path", but not "//host" or "/\host".</summary>
    private static bool IsLocalPath(string url) =>
        url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
