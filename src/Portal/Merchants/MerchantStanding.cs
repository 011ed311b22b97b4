using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Merchants;

/// <summary>Reads whether a merchant is Verified: email confirmed and business details approved.</summary>
public static class MerchantStanding
{
    public const string VerificationRequired = "Account verification required";

    public static Task<bool> IsVerifiedAsync(PortalDbContext db, string merchantId, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(
            u => u.Id == merchantId && u.EmailConfirmed &&
                 db.MerchantProfiles.Any(p => p.MerchantId == u.Id && p.Status == VerificationStatus.Approved),
            cancellationToken);
}
