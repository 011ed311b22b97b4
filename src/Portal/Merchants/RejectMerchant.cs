using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Email;

namespace Cashout.Portal.Merchants;

/// <summary>An admin rejects a merchant's submitted business details with a reason; the merchant fixes them and resubmits.</summary>
public sealed class RejectMerchant(ReviewMerchant review)
{
    public Task<CommandResult> HandleAsync(Caller caller, string merchantId, string? reason, CancellationToken cancellationToken = default) =>
        review.DecideAsync(
            caller,
            merchantId,
            new ReviewMerchant.Decision(
                AuditActions.MerchantRejected,
                "Rejected",
                (profile, now) => profile.Reject(caller.Id, reason, now),
                (profile, baseUrl) => EmailTemplates.MerchantVerificationRejected(profile.RejectionReason ?? "", baseUrl + "/verification")),
            cancellationToken);
}
