using System.Globalization;
using System.Net;
using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
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

    /// <summary>To the owner of an address someone tried to sign up with: the form itself does not say it is taken.</summary>
    public static EmailContent AlreadyRegistered(string signInLink, string resetLink) => Build(
        "account.already-registered",
        "You already have a Cashout Portal account",
        "You already have an account",
        [
            "Someone tried to create a Cashout Portal account with this email address, which already has one. If it was you, sign in; if you forgot your password, reset it here: " + resetLink,
            "If it was not you, ignore this email: nothing was changed.",
        ],
        new EmailAction("Sign in", signInLink));

    public static EmailContent PaymentMethodLinked(PayoutMethod method, string payee) => Build(
        "security.method-linked",
        $"A {method.ToDisplayName()} payout method was linked to your account",
        "Payout method linked",
        [$"A {method.ToDisplayName()} payout method ({payee}) was linked to your Cashout Portal account.", "If this was not you, change your password and contact support right away."],
        action: null);

    public static EmailContent PaymentMethodUnlinked(PayoutMethod method, string payee) => Build(
        "security.method-unlinked",
        $"A {method.ToDisplayName()} payout method was unlinked from your account",
        "Payout method unlinked",
        [$"The {method.ToDisplayName()} payout method ({payee}) was unlinked from your Cashout Portal account.", "If this was not you, change your password and contact support right away."],
        action: null);

    public static EmailContent PasswordChanged() => Build(
        "security.password-changed",
        "Your Cashout Portal password was changed",
        "Password changed",
        ["The password of your Cashout Portal account was just changed. Every other device signed in to it is signed out.", "If this was not you, reset your password right away and contact support."],
        action: null);

    public static EmailContent TwoFactorChanged(bool enabled) => Build(
        enabled ? "security.two-factor-enabled" : "security.two-factor-disabled",
        enabled ? "Two-factor authentication is on for your account" : "Two-factor authentication was turned off",
        enabled ? "Two-factor authentication turned on" : "Two-factor authentication turned off",
        enabled
            ? ["Signing in to your Cashout Portal account now needs a code from your authenticator app.", "If this was not you, contact support right away."]
            : ["Your Cashout Portal account is now protected by your password only.", "If this was not you, change your password, turn two-factor authentication back on and contact support right away."],
        action: null);

    public static EmailContent PasskeyAdded(string name) => SecurityNotice(
        "security.passkey-added", "A passkey was added to your account", "Passkey added",
        $"The passkey \"{name}\" was added to your Cashout Portal account. It can now sign in to it.");

    public static EmailContent PasskeyRenamed(string before, string after) => SecurityNotice(
        "security.passkey-renamed", "A passkey on your account was renamed", "Passkey renamed",
        $"The passkey \"{before}\" on your Cashout Portal account is now called \"{after}\".");

    public static EmailContent PasskeyRemoved(string name) => SecurityNotice(
        "security.passkey-removed", "A passkey was removed from your account", "Passkey removed",
        $"The passkey \"{name}\" was removed from your Cashout Portal account. It can no longer sign in to it.");

    /// <summary>An admin locked or unlocked the account; the person reads the admin's reason.</summary>
    public static EmailContent AccountLockChanged(bool locked, string reason) => Build(
        locked ? "security.account-locked" : "security.account-unlocked",
        locked ? "Your Cashout Portal account was locked" : "Your Cashout Portal account was unlocked",
        locked ? "Account locked" : "Account unlocked",
        locked
            ? ["An administrator locked your Cashout Portal account and signed it out everywhere. You cannot sign in until it is unlocked.", $"Reason: {reason}", "Contact support if you did not expect this."]
            : ["An administrator unlocked your Cashout Portal account. You can sign in again.", $"Reason: {reason}"],
        action: null);

    /// <summary>Repeated failed sign-ins locked the account for a while: when, from where, until when, and what to do.</summary>
    public static EmailContent SignInLockedOut(DateTimeOffset at, DateTimeOffset end, string? clientAddress, string resetLink) => Build(
        "security.sign-in-locked-out",
        "Sign-in to your Cashout Portal account is locked for a while",
        "Too many failed sign-ins",
        [
            $"Sign-in to your Cashout Portal account was locked at {Utc(at)} after repeated failed attempts, the last one from the address {clientAddress ?? "unknown"}. It unlocks at {Utc(end)}.",
            "If it was you, wait until then, or reset your password now if you forgot it.",
            "If it was not you, someone is trying to sign in as you: reset your password, and turn on two-factor authentication under Profile and security.",
        ],
        new EmailAction("Reset password", resetLink));

    private static string Utc(DateTimeOffset time) => time.ToUniversalTime().ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>An admin granted or removed one of the person's roles; they sign in again to use the new ones.</summary>
    public static EmailContent RoleChanged(string role, bool granted, string reason) => Build(
        "security.role-changed",
        granted ? $"You now have the {role} role in Cashout Portal" : $"Your {role} role in Cashout Portal was removed",
        granted ? "Role granted" : "Role removed",
        [
            granted
                ? $"An administrator gave your account the {role} role and signed it out everywhere. Sign in again to use it."
                : $"An administrator removed the {role} role from your account and signed it out everywhere.",
            $"Reason: {reason}",
        ],
        action: null);

    /// <summary>An admin reset the person's two-factor authentication; they enrol again at the next sign-in.</summary>
    public static EmailContent TwoFactorReset(string reason) => Build(
        "security.two-factor-reset",
        "Your two-factor authentication was reset",
        "Two-factor authentication reset",
        [
            "An administrator removed your authenticator app, your recovery codes and your passkeys, and signed your account out everywhere.",
            $"Reason: {reason}",
            "Sign in with your password and set up two-factor authentication again under Profile and security. If you did not ask for this, contact support right away.",
        ],
        action: null);

    private static EmailContent SecurityNotice(string kind, string subject, string heading, string what) =>
        Build(kind, subject, heading, [what, "If this was not you, change your password, check your passkeys under Profile and security and contact support right away."], action: null);

    public static EmailContent MerchantVerified(string dashboardLink) => Build(
        "verification.approved",
        "Your Cashout Portal account is verified",
        "Your account is verified",
        ["We reviewed your business details and approved them. You can now link payout methods and request cashouts."],
        new EmailAction("Open the portal", dashboardLink));

    public static EmailContent MerchantVerificationRejected(string reason, string verificationLink) => Build(
        "verification.rejected",
        "Action needed: your business details were not approved",
        "Your business details need changes",
        ["We could not approve the business details you submitted.", $"Reason: {reason}", "Correct them and submit again; we review resubmissions as quickly as first submissions."],
        new EmailAction("Review and resubmit", verificationLink));

    /// <summary>The email of one cashout stage: amount, fee, net, method, status, reason and a link to the cashout.</summary>
    public static EmailContent CashoutStage(CashoutEmailStage stage, MerchantCashout cashout, string destination, string? reason, string cashoutLink)
    {
        var (subject, heading, lead) = stage switch
        {
            CashoutEmailStage.Requested => ("Cashout requested", "We received your cashout request", "Your cashout is pending review and will be sent to the provider shortly."),
            CashoutEmailStage.OnHold => ("Cashout on hold", "Your cashout is on hold", "Your cashout was put on hold. The funds stay reserved until it is released or cancelled."),
            CashoutEmailStage.Released => ("Cashout released", "Your cashout was released", "The hold was lifted; your cashout is pending again."),
            CashoutEmailStage.Processing => ("Cashout processing", "Your cashout is on its way", "The provider accepted your cashout and is processing it."),
            CashoutEmailStage.Completed => ("Cashout completed", "Your cashout was paid", "The provider confirmed the payout."),
            CashoutEmailStage.Failed => ("Cashout failed: funds refunded", "Your cashout failed", "The provider could not pay out. The amount and the fee are back in your available balance."),
            CashoutEmailStage.Returned => ("Cashout returned: funds refunded", "Your cashout was returned", "The beneficiary's bank returned the payout. The amount and the fee are back in your available balance."),
            CashoutEmailStage.Cancelled => ("Cashout cancelled: funds refunded", "Your cashout was cancelled", "The reserved funds are back in your available balance."),
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
        };

        var culture = CultureInfo.GetCultureInfo("en-US");
        var lines = new List<string>
        {
            lead,
            $"Cashout #{cashout.Id} via {cashout.Method.ToDisplayName()} to {destination}",
            $"Amount: {cashout.Amount.Format(culture)} · Fee: {cashout.Fee.Format(culture)} · Net to payee: {cashout.NetPayout.Format(culture)} · Debited: {cashout.Debit.Format(culture)}",
            $"Status: {cashout.Status}",
        };
        if (!string.IsNullOrWhiteSpace(reason))
        {
            // Failed and Returned carry the provider's code, which support needs when the merchant asks.
            var code = stage is CashoutEmailStage.Failed or CashoutEmailStage.Returned && !string.IsNullOrWhiteSpace(cashout.RejectionCode)
                ? $" (provider code {cashout.RejectionCode})" : "";
            lines.Add($"Reason: {reason}{code}");
        }

        return Build($"cashout.{stage.ToString().ToLowerInvariant()}", $"{subject} · #{cashout.Id} · {cashout.Amount.Format(culture)}", heading, lines,
            new EmailAction("View cashout", cashoutLink));
    }

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
