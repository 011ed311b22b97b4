using Cashout.Domain;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Merchants;

/// <summary>
/// An admin's decision on submitted business details, as one database transaction: the profile's new status,
/// the audit entry (before and after) and the email to the merchant. Used by <see cref="ApproveMerchant"/> and
/// <see cref="RejectMerchant"/>.
/// </summary>
public sealed class ReviewMerchant(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditLog audit,
    EmailOutbox outbox,
    PortalAddress portal,
    VerificationChanges changes,
    TimeProvider time)
{
    public sealed record Decision(string AuditAction, string Verb, Func<MerchantProfile, DateTimeOffset, Result<VerificationChange, DomainError>> Apply, Func<MerchantProfile, string, EmailContent> Email);

    public async Task<CommandResult> DecideAsync(Caller caller, string merchantId, Decision decision, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return caller.IsMerchant ? CommandResult.Forbidden : CommandResult.NotFound;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockMerchantAsync(merchantId, cancellationToken);
        var profile = await db.MerchantProfiles.SingleOrDefaultAsync(p => p.MerchantId == merchantId, cancellationToken);
        var email = await db.Users.Where(u => u.Id == merchantId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        if (profile is null || email is null)
        {
            return CommandResult.NotFound;
        }

        var applied = decision.Apply(profile, time.GetUtcNow());
        if (applied.IsFailure)
        {
            return CommandResult.Refused(applied.Error.Code, applied.Error.Message);
        }

        await audit.AppendAsync(db, AuditRecord.AdminAction(
            caller,
            decision.AuditAction,
            $"{decision.Verb} the business details of {email}",
            "merchant",
            merchantId,
            before: new { status = applied.Value.Before },
            after: new { status = applied.Value.After, reason = profile.RejectionReason, legalName = profile.LegalName, country = profile.Country }), cancellationToken);
        outbox.Enqueue(db, email, decision.Email(profile, (await portal.ForLinksAsync(cancellationToken)).ToString().TrimEnd('/')));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(merchantId);
        return CommandResult.Ok;
    }
}
