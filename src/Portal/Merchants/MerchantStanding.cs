using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Merchants;

/// <summary>Where a merchant stands on verification, read fresh from the database whenever it matters.</summary>
public sealed record MerchantVerification(
    bool EmailConfirmed,
    VerificationStatus Status,
    BusinessDetails? Details,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ReviewedAt,
    string? RejectionReason)
{
    public bool IsVerified => MerchantStanding.IsVerified(EmailConfirmed, Status);
}

/// <summary>
/// Whether a merchant is Verified: email confirmed and business details approved. The one definition, read from
/// the database per use (never from the sign-in cookie), so an approval takes effect on open sessions at once.
/// </summary>
public static class MerchantStanding
{
    public const string VerificationRequired = "Account verification required";
    public const string VerificationRequiredCode = "verification_required";

    public static bool IsVerified(bool emailConfirmed, VerificationStatus status) =>
        emailConfirmed && status == VerificationStatus.Approved;

    public static async Task<bool> IsVerifiedAsync(PortalDbContext db, string merchantId, CancellationToken cancellationToken) =>
        await GetAsync(db, merchantId, cancellationToken) is { IsVerified: true };

    /// <summary>The merchant's verification, or null when there is no such merchant.</summary>
    public static async Task<MerchantVerification?> GetAsync(PortalDbContext db, string merchantId, CancellationToken cancellationToken)
    {
        var row = await (
                from user in db.Users.AsNoTracking()
                join merchant in db.MerchantProfiles.AsNoTracking() on user.Id equals merchant.MerchantId
                where user.Id == merchantId
                select new { user.EmailConfirmed, Profile = merchant })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var profile = row.Profile;
        return new MerchantVerification(row.EmailConfirmed, profile.Status, profile.Details, profile.SubmittedAt, profile.ReviewedAt, profile.RejectionReason);
    }
}
