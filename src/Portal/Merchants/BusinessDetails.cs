using System.Globalization;
using Cashout.Domain;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Merchants;

/// <summary>Why business details were refused: every problem at once, each next to its field.</summary>
public sealed record BusinessDetailsInvalid(IReadOnlyList<FieldProblem> Problems)
{
    public override string ToString() => string.Join(" ", Problems.Select(problem => problem.Message));
}

/// <summary>
/// What a merchant tells the platform about its business before an admin verifies it: the legal name, the
/// country of registration and a contact person reachable by phone or email (at least one of the two).
/// </summary>
public sealed record BusinessDetails(string LegalName, string Country, string ContactName, string? ContactPhone, string? ContactEmail)
{
    public const int MaxNameLength = 200;
    public const int MaxPhoneLength = 32;

    /// <summary>Trims and checks what a person typed; the result is what gets stored and shown to admins.</summary>
    public static Result<BusinessDetails, BusinessDetailsInvalid> Create(string? legalName, string? country, string? contactName, string? contactPhone, string? contactEmail)
    {
        var problems = new List<FieldProblem>();
        legalName = legalName?.Trim() ?? "";
        country = country?.Trim().ToUpperInvariant() ?? "";
        contactName = contactName?.Trim() ?? "";
        var phone = Blank(contactPhone);
        var email = Blank(contactEmail);

        if (legalName.Length is < 2 or > MaxNameLength)
        {
            problems.Add(new FieldProblem("legalName", $"Enter the business's legal name (2 to {MaxNameLength} characters)."));
        }

        if (!Countries.IsKnown(country))
        {
            problems.Add(new FieldProblem("country", "Choose the country where the business is registered."));
        }

        if (contactName.Length is < 2 or > MaxNameLength)
        {
            problems.Add(new FieldProblem("contactName", $"Enter the contact person's name (2 to {MaxNameLength} characters)."));
        }

        if (phone is null && email is null)
        {
            problems.Add(new FieldProblem("contactPhone", "Give a phone number or an email address for the contact person."));
        }

        if (phone is not null && !IsPlausiblePhone(phone))
        {
            problems.Add(new FieldProblem("contactPhone", "Enter the phone number in international format, for example +31 20 123 4567."));
        }

        if (email is not null && !PayeeDetails.IsPlausibleEmail(email))
        {
            problems.Add(new FieldProblem("contactEmail", "Enter a valid email address, for example finance@example.com."));
        }

        return problems.Count > 0
            ? new BusinessDetailsInvalid(problems)
            : new BusinessDetails(legalName, country, contactName, phone, email);
    }

    /// <summary>A leading +, then 7 to 15 digits (E.164) with the spaces, dashes, dots and brackets people type.</summary>
    public static bool IsPlausiblePhone(string phone)
    {
        if (phone.Length > MaxPhoneLength || !phone.StartsWith('+') || !phone[1..].All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '.' or '(' or ')'))
        {
            return false;
        }

        return phone.Count(char.IsAsciiDigit) is >= 7 and <= 15;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The ISO 3166 countries the runtime knows, by their English names, for the country picker and its check.</summary>
public static class Countries
{
    public sealed record Country(string Code, string Name);

    private static readonly Lazy<IReadOnlyList<Country>> all = new(() =>
        [.. CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(culture => { try { return new RegionInfo(culture.Name); } catch (ArgumentException) { return null; } })
            .OfType<RegionInfo>()
            .Where(region => region.TwoLetterISORegionName.Length == 2 && region.TwoLetterISORegionName.All(char.IsAsciiLetterUpper))
            .DistinctBy(region => region.TwoLetterISORegionName)
            .Select(region => new Country(region.TwoLetterISORegionName, region.EnglishName))
            .OrderBy(country => country.Name, StringComparer.Ordinal)]);

    public static IReadOnlyList<Country> All => all.Value;

    public static bool IsKnown(string code) => All.Any(country => country.Code == code);

    public static string NameOf(string? code) => All.FirstOrDefault(country => country.Code == code)?.Name ?? code ?? "";
}
