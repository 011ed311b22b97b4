using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Cashout.Portal.Common;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Identity;

public sealed class StepUpOptions
{
    public const string Section = "StepUp";

    /// <summary>How long a re-authentication (password or authenticator code) counts as recent.</summary>
    [Range(1, 60)]
    public int WindowMinutes { get; set; } = 5;

    /// <summary>A cashout requested in the portal above this amount (minor units, any currency) needs a recent step-up.</summary>
    [Range(1, long.MaxValue)]
    public long LargeCashoutMinorUnits { get; set; } = 1_000_000;
}

/// <summary>
/// Step-up re-authentication for sensitive actions (linking and unlinking payout methods, large cashouts, API
/// credential rotation): the user confirms the password or an authenticator code at /Account/StepUp, which
/// re-issues the sign-in cookie with a claim saying when. Use cases check it again through <see cref="Caller"/>.
/// </summary>
public sealed class StepUpPolicy(IOptions<StepUpOptions> options, TimeProvider time)
{
    public const string ClaimType = "cashout:step_up_at";
    public const string RequiredCode = "step_up_required";
    public const string RequiredMessage = "Re-authentication required";

    public TimeSpan Window => TimeSpan.FromMinutes(options.Value.WindowMinutes);

    /// <summary>Whether a cashout of <paramref name="amountMinorUnits"/> is large enough to need a step-up.</summary>
    public bool IsLargeCashout(long amountMinorUnits) => amountMinorUnits > options.Value.LargeCashoutMinorUnits;

    /// <summary>
    /// A recent re-authentication, or an API client: its login and pass are checked on every request, which is
    /// the strong authentication step-up asks browsers for (docs/decisions/009-api-credentials-satisfy-step-up.md).
    /// </summary>
    public bool IsSatisfied(Caller caller) =>
        (caller.ViaApiCredential && caller.IsMerchant && !caller.IsAdmin) ||
        caller.SteppedUpAt is { } at && at <= time.GetUtcNow() && time.GetUtcNow() - at <= Window;

    public static Claim ClaimFor(DateTimeOffset at) =>
        new(ClaimType, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);

    public static DateTimeOffset? ReadFrom(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimType), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Where a page sends the user to re-authenticate, coming back to <paramref name="returnUrl"/>.</summary>
    public static string PageFor(string returnUrl) => $"Account/StepUp?returnUrl={Uri.EscapeDataString(returnUrl)}";
}
