namespace Cashout.Domain.PaymentMethods;

/// <summary>One problem with one field of a link form, so the UI can show it next to the field.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>Why linking was refused: every problem at once, not just the first.</summary>
public sealed record PaymentMethodInvalid(IReadOnlyList<FieldProblem> Problems)
{
    public override string ToString() => string.Join(" ", Problems.Select(problem => problem.Message));
}

/// <summary>Format checks for payee details. Syntax only: whether the account exists is the provider's answer.</summary>
public static class PayeeDetails
{
    public const int MaxEmailLength = 254;
    public const int MaxPayeeIdLength = 64;

    public static bool IsPlausibleEmail(string email)
    {
        if (email.Length > MaxEmailLength || email.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var at = email.IndexOf('@');
        if (at <= 0 || at != email.LastIndexOf('@'))
        {
            return false;
        }

        var domain = email[(at + 1)..];
        return domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..");
    }

    public static bool IsValidPayeeId(string payeeId) =>
        payeeId.Length <= MaxPayeeIdLength && payeeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>ISO 13616: country letters, check digits, then the mod-97 check over the rearranged number.</summary>
    public static bool IsValidIban(string iban)
    {
        if (iban.Length is < 15 or > 34
            || !iban.All(char.IsAsciiLetterOrDigit)
            || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1])
            || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
        {
            return false;
        }

        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            // Letters count as two digits (A = 10 ... Z = 35); fold the remainder as we go to stay in int range.
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? ((remainder * 10) + value) % 97 : ((remainder * 100) + value) % 97;
        }

        return remainder == 1;
    }

    public static bool IsValidAccountNumber(string accountNumber) =>
        accountNumber.Length is >= 4 and <= 34 && accountNumber.All(char.IsAsciiLetterOrDigit);

    public static bool IsCountryCode(string country) =>
        country.Length == 2 && country.All(char.IsAsciiLetterUpper);

    /// <summary>Strips the spaces people type into IBANs and account numbers, and upper-cases them.</summary>
    public static string NormaliseAccountIdentifier(string value) =>
        new string(value.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
}
