using System.Net;
using System.Text;

namespace Cashout.Portal.Email;

/// <summary>
/// Every email the portal sends, in one place, each as HTML and plain text built from the same parts
/// so the two never disagree. Values are HTML-encoded; links are absolute.
/// </summary>
public static class EmailTemplates
{
    public static EmailContent ConfirmEmail(string confirmationLink) => Build(
        "account.confirm-email",
        "Confirm your email for Cashout Portal",
        "Confirm your email",
        ["Welcome to Cashout Portal. Confirm your email address to finish creating your account."],
        new EmailAction("Confirm email", confirmationLink));

    public static EmailContent PasswordResetLink(string resetLink) => Build(
        "account.reset-password",
        "Reset your Cashout Portal password",
        "Reset your password",
        ["Someone asked to reset the password of your Cashout Portal account. If it was you, choose a new password below; if not, ignore this email."],
        new EmailAction("Reset password", resetLink));

    public static EmailContent PasswordResetCode(string resetCode) => Build(
        "account.reset-password-code",
        "Your Cashout Portal password reset code",
        "Reset your password",
        [$"Your password reset code is {resetCode}.", "If you did not ask for it, ignore this email."],
        action: null);

    public sealed record EmailAction(string Label, string Url);

    /// <summary>Lays out a message: a heading, paragraphs, an optional button (with its link spelled out in text).</summary>
    public static EmailContent Build(string kind, string subject, string heading, IReadOnlyList<string> paragraphs, EmailAction? action)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><body style=\"font-family:Segoe UI,Arial,sans-serif;color:#1f2937;background:#f3f4f6;padding:24px\">");
        html.Append("<div style=\"max-width:560px;margin:auto;background:#fff;border-radius:8px;padding:32px\">");
        html.Append("<p style=\"font-weight:600;color:#4f46e5;margin:0 0 16px\">Cashout Portal</p>");
        html.Append("<h1 style=\"font-size:20px;margin:0 0 16px\">").Append(WebUtility.HtmlEncode(heading)).Append("</h1>");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p style=\"line-height:1.5\">").Append(WebUtility.HtmlEncode(paragraph)).Append("</p>");
        }

        var text = new StringBuilder();
        text.AppendLine(heading).AppendLine();
        foreach (var paragraph in paragraphs)
        {
            text.AppendLine(paragraph).AppendLine();
        }

        if (action is not null)
        {
            var url = WebUtility.HtmlEncode(action.Url);
            html.Append("<p><a href=\"").Append(url).Append("\" style=\"display:inline-block;background:#4f46e5;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none\">")
                .Append(WebUtility.HtmlEncode(action.Label)).Append("</a></p>");
            html.Append("<p style=\"font-size:12px;color:#6b7280\">Or open this link: <a href=\"").Append(url).Append("\">").Append(url).Append("</a></p>");
            text.Append(action.Label).Append(": ").AppendLine(action.Url).AppendLine();
        }

        html.Append("<p style=\"font-size:12px;color:#6b7280;margin-top:24px\">You receive this email because of activity on your Cashout Portal account.</p>");
        html.Append("</div></body></html>");
        text.Append("You receive this email because of activity on your Cashout Portal account.");
        return new EmailContent(kind, subject, html.ToString(), text.ToString());
    }
}
