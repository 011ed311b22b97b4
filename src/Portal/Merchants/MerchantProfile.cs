using Cashout.Domain;

namespace Cashout.Portal.Merchants;

public enum VerificationStatus
{
    NotSubmitted,
    Submitted,
    Approved,
    Rejected,
}

/// <summary>What a verification step changed, for the audit log's before and after.</summary>
public sealed record VerificationChange(VerificationStatus Before, VerificationStatus After);

/// <summary>
/// A merchant's standing with the platform. Verified = email confirmed + approved by an admin (DESIGN.md
/// section 4); cashouts and linking need it. Keyed by the merchant's user id, which is also the ledger's merchant id.
/// The merchant submits business details (again after a rejection); an admin approves or rejects what was submitted.
/// </summary>
public sealed class MerchantProfile
{
    public const string InvalidStateCode = "invalid_verification_state";
    public const string ReasonRequiredCode = "reason_required";
    public const int MaxReasonLength = 500;

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

    public string? LegalName { get; private set; }

    /// <summary>ISO 3166 alpha-2 code of the country where the business is registered.</summary>
    public string? Country { get; private set; }

    public string? ContactName { get; private set; }

    public string? ContactPhone { get; private set; }

    public string? ContactEmail { get; private set; }

    /// <summary>When the details under review (or last reviewed) were submitted.</summary>
    public DateTimeOffset? SubmittedAt { get; private set; }

    public DateTimeOffset? ReviewedAt { get; private set; }

    public string? ReviewedBy { get; private set; }

    /// <summary>Why the last submission was rejected; the merchant sees it and fixes the details.</summary>
    public string? RejectionReason { get; private set; }

    public BusinessDetails? Details => LegalName is null
        ? null
        : new BusinessDetails(LegalName, Country ?? "", ContactName ?? "", ContactPhone, ContactEmail);

    /// <summary>First submission, or a corrected one after a rejection. Refused while under review or once approved.</summary>
    public Result<VerificationChange, DomainError> Submit(BusinessDetails details, DateTimeOffset now)
    {
        if (Status is VerificationStatus.Submitted)
        {
            return new DomainError(InvalidStateCode, "Your business details are already under review. You can change them if they are rejected.");
        }

        if (Status is VerificationStatus.Approved)
        {
            return new DomainError(InvalidStateCode, "Your account is already verified.");
        }

        var before = Status;
        LegalName = details.LegalName;
        Country = details.Country;
        ContactName = details.ContactName;
        ContactPhone = details.ContactPhone;
        ContactEmail = details.ContactEmail;
        SubmittedAt = now;
        Status = VerificationStatus.Submitted;
        return new VerificationChange(before, Status);
    }

    public Result<VerificationChange, DomainError> Approve(string adminId, DateTimeOffset now)
    {
        if (Status is not VerificationStatus.Submitted)
        {
            return NotUnderReview("approved");
        }

        Status = VerificationStatus.Approved;
        ReviewedAt = now;
        ReviewedBy = adminId;
        RejectionReason = null;
        return new VerificationChange(VerificationStatus.Submitted, Status);
    }

    /// <summary>Sends the details back to the merchant with a reason saying what to fix.</summary>
    public Result<VerificationChange, DomainError> Reject(string adminId, string? reason, DateTimeOffset now)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return new DomainError(ReasonRequiredCode, $"Give the merchant a reason (1 to {MaxReasonLength} characters) saying what to fix.");
        }

        if (Status is not VerificationStatus.Submitted)
        {
            return NotUnderReview("rejected");
        }

        Status = VerificationStatus.Rejected;
        ReviewedAt = now;
        ReviewedBy = adminId;
        RejectionReason = reason;
        return new VerificationChange(VerificationStatus.Submitted, Status);
    }

    private DomainError NotUnderReview(string action) => new(
        InvalidStateCode,
        Status switch
        {
            VerificationStatus.NotSubmitted => $"Only submitted details can be {action}; this merchant has not submitted any.",
            VerificationStatus.Approved => $"Only submitted details can be {action}; this merchant is already approved.",
            _ => $"Only submitted details can be {action}; this merchant's details were rejected and not resubmitted yet.",
        });
}
