using System.Globalization;
using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Cashouts;

/// <summary>How the portal names statuses, methods and times to people, the same on every page, badge and export.</summary>
public static class CashoutStatusText
{
    public static string Label(CashoutStatus status) => status switch
    {
        CashoutStatus.OnHold => "On hold",
        _ => status.ToString(),
    };

    public static string MethodLabel(PayoutMethod method) => method.ToDisplayName();

    /// <summary>
    /// Why a Failed or Returned cashout did not pay out, for the merchant: the provider's words first, its codes in
    /// brackets, then what to do. Providers prefix the reason with their error name ("ERROR_OTHER: ..."); that name
    /// joins the code. Null for other statuses or when the provider gave no reason.
    /// </summary>
    public static string? RejectionMessage(CashoutStatus status, string? code, string? reason)
    {
        if (status is not (CashoutStatus.Failed or CashoutStatus.Returned) || string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }

        var (errorName, sentence) = SplitErrorName(reason.Trim());
        var codes = string.Join(' ', new[] { code?.Trim(), errorName }.Where(part => !string.IsNullOrEmpty(part)));
        var codeText = codes.Length > 0 ? $" (code {codes})" : "";
        return status == CashoutStatus.Failed
            ? $"{sentence}{codeText}. The amount and fee are back in your available balance. Check the payee details and request again."
            : $"The beneficiary's bank returned the payout: {sentence}{codeText}. The amount and fee are back in your available balance. Check the bank details and request again.";
    }

    private static (string? ErrorName, string Sentence) SplitErrorName(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon > 0 ? reason[..colon] : "";
        var isErrorName = prefix.Length > 0 && prefix.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');
        var sentence = (isErrorName ? reason[(colon + 1)..] : reason).Trim().TrimEnd('.');
        return (isErrorName ? prefix : null, sentence);
    }

    /// <summary>Times are shown in UTC, labelled: the server cannot know the browser's zone, and ambiguity about money is worse.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
