using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Cashout.Portal.Identity;

/// <summary>
/// The account emails with a token link (confirm email, reset password), shared by the pages that send them.
/// Tokens are Base64Url-encoded for the query string; the email template HTML-encodes the link itself.
/// </summary>
internal static class AccountEmails
{
    public static async Task SendConfirmationLinkAsync(
        UserManager<PortalUser> userManager, IEmailSender<PortalUser> emailSender, NavigationManager navigation, PortalUser user, string? returnUrl = null)
    {
        var userId = await userManager.GetUserIdAsync(user);
        var token = EncodeToken(await userManager.GenerateEmailConfirmationTokenAsync(user));
        var link = navigation.GetUriWithQueryParameters(
            navigation.ToAbsoluteUri("Account/ConfirmEmail").AbsoluteUri,
            new Dictionary<string, object?> { ["userId"] = userId, ["code"] = token, ["returnUrl"] = returnUrl });
        await emailSender.SendConfirmationLinkAsync(user, user.Email!, link);
    }

    public static async Task SendPasswordResetLinkAsync(
        UserManager<PortalUser> userManager, IEmailSender<PortalUser> emailSender, NavigationManager navigation, PortalUser user)
    {
        var token = EncodeToken(await userManager.GeneratePasswordResetTokenAsync(user));
        var link = navigation.GetUriWithQueryParameters(
            navigation.ToAbsoluteUri("Account/ResetPassword").AbsoluteUri,
            new Dictionary<string, object?> { ["code"] = token });
        await emailSender.SendPasswordResetLinkAsync(user, user.Email!, link);
    }

    /// <summary>The token of a link, or null when the link was cut or altered.</summary>
    public static string? DecodeToken(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string EncodeToken(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
}
