namespace Cashout.Domain.PaymentMethods;

/// <summary>Where a cashout is paid to. The API names are the lowercase names ("payoneer", "tipalti", "bank").</summary>
public enum PayoutMethod
{
    Payoneer,
    Tipalti,
    Bank,
}

public static class PayoutMethodNames
{
    public static string ToApiName(this PayoutMethod method) => method switch
    {
        PayoutMethod.Payoneer => "payoneer",
        PayoutMethod.Tipalti => "tipalti",
        PayoutMethod.Bank => "bank",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown payout method."),
    };

    /// <summary>The name people read (emails, pages, exports), not the API's lower-case one.</summary>
    public static string ToDisplayName(this PayoutMethod method) => method switch
    {
        PayoutMethod.Payoneer => "Payoneer",
        PayoutMethod.Tipalti => "Tipalti",
        PayoutMethod.Bank => "Bank transfer",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown payout method."),
    };

    /// <summary>"to Payoneer", "by bank transfer": how a sentence says where a cashout goes.</summary>
    public static string ToDestinationPhrase(this PayoutMethod method) => method switch
    {
        PayoutMethod.Bank => "by bank transfer",
        _ => $"to {method.ToDisplayName()}",
    };

    public static bool TryParseApiName(string? name, out PayoutMethod method)
    {
        foreach (var candidate in Enum.GetValues<PayoutMethod>())
        {
            if (string.Equals(candidate.ToApiName(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                method = candidate;
                return true;
            }
        }

        method = default;
        return false;
    }
}
