using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Email;

namespace Cashout.Portal.Merchants;

/// <summary>An admin approves a merchant's submitted business details: with a confirmed email, the merchant is Verified.</summary>
public sealed class ApproveMerchant(ReviewMerchant review)
{
    public Task<CommandResult> HandleAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default) =>
        review.DecideAsync(
            caller,
            merchantId,
            new ReviewMerchant.Decision(
                AuditActions.MerchantApproved,
                "Approved",
                (profile, now) => profile.Approve(caller.Id, now),
                (_, baseUrl) => EmailTemplates.MerchantVerified(baseUrl + "/")),
            cancellationToken);
}
