using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;

namespace Cashout.Portal.Components;

/// <summary>Long identifiers that may wrap where a reader expects it, not in the middle of a word.</summary>
public static class Wrapping
{
    /// <summary>
    /// An email address (or a reference with dots, dashes or @) with a line-break opportunity before each '@' and '.'
    /// and after each '-', so "payouts@merchant.example.com" wraps as "payouts" / "@merchant" / ".example.com".
    /// </summary>
    public static MarkupString AtMarks(string text)
    {
        var encoded = HtmlEncoder.Default.Encode(text);
        return new MarkupString(encoded
            .Replace("@", "<wbr>@", StringComparison.Ordinal)
            .Replace(".", "<wbr>.", StringComparison.Ordinal)
            .Replace("-", "-<wbr>", StringComparison.Ordinal));
    }
}
