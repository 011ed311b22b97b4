namespace Cashout.Portal.Merchants;

public enum VerificationStatus
{
    NotSubmitted,
    Submitted,
    Approved,
    Rejected,
}

/// <summary>
/// A merchant's standing with the platform. Verified = email confirmed + approved by an admin (DESIGN.md
/// section 4); cashouts and linking need it. Keyed by the merchant's user id, which is also the ledger's merchant id.
/// </summary>
public sealed class MerchantProfile
{
    private MerchantProfile()
    {
    }

    public MerchantProfile(string merchantId, DateTimeOffset now)
    {
        MerchantId = merchantId;
        CreatedAt = now;
        Status = VerificationStatus.NotSubmitted;
    }

    public string MerchantId { get; private set; } = "";

    public VerificationStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReviewedAt { get; private set; }

    public string? ReviewedBy { get; private set; }

    public string? RejectionReason { get; private set; }

    public void Approve(string adminId, DateTimeOffset now)
    {
        Status = VerificationStatus.Approved;
        ReviewedAt = now;
        ReviewedBy = adminId;
        RejectionReason = null;
    }
}
