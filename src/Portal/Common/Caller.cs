using System.Security.Claims;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Identity;

namespace Cashout.Portal.Common;

/// <summary>
/// Who is calling a use case: a signed-in merchant or admin, an API credential's merchant, or the system
/// (a job). Use cases check it again whatever the page or endpoint already checked.
/// </summary>
/// <param name="SteppedUpAt">When the user last re-authenticated (step-up), if ever in this session.</param>
/// <param name="ClientAddress">Where the request came from (the client's IP address), for the audit log.</param>
/// <param name="ViaApiCredential">A merchant's machine client that proved its API login and pass on this very
/// request (docs/decisions: API credentials satisfy step-up). Never set from a browser session.</param>
public sealed record Caller(string Id, bool IsMerchant, bool IsAdmin, bool IsSystem, DateTimeOffset? SteppedUpAt = null, bool ViaApiCredential = false, string? ClientAddress = null)
{
    public static Caller Merchant(string merchantId) => new(merchantId, IsMerchant: true, IsAdmin: false, IsSystem: false);

    /// <summary>A merchant's API client, authenticated by its API credentials on this request.</summary>
    public static Caller ApiClient(string merchantId) => new(merchantId, IsMerchant: true, IsAdmin: false, IsSystem: false, ViaApiCredential: true);

    public static Caller Admin(string userId) => new(userId, IsMerchant: false, IsAdmin: true, IsSystem: false);

    public static Caller System(string jobName) => new(jobName, IsMerchant: false, IsAdmin: false, IsSystem: true);

    /// <param name="clientAddress">From <see cref="ClientAddress"/> (pages) or the request's connection (endpoints).</param>
    public static Caller FromPrincipal(ClaimsPrincipal principal, string? clientAddress = null)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user is not signed in.");
        return new Caller(id, principal.IsInRole(PortalRoles.Merchant), principal.IsInRole(PortalRoles.Admin), IsSystem: false, StepUpPolicy.ReadFrom(principal), ClientAddress: clientAddress);
    }

    /// <summary>Merchants reach their own data only; admins and the system reach everyone's.</summary>
    public bool CanActFor(string merchantId) => IsAdmin || IsSystem || (IsMerchant && Id == merchantId);

    public Actor ToActor() => IsAdmin ? Actor.Admin(Id) : IsSystem ? Actor.System(Id) : Actor.Merchant(Id);
}
