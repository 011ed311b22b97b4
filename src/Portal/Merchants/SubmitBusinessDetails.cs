using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Merchants;

public sealed record SubmitBusinessDetailsCommand(string MerchantId, string? LegalName, string? Country, string? ContactName, string? ContactPhone, string? ContactEmail);

public sealed record SubmitBusinessDetailsOutcome(CommandResult Result, IReadOnlyList<FieldProblem>? Problems = null);

/// <summary>
/// A merchant submits its business details for verification, first or again after a rejection. Bad details get
/// every problem next to its field and write nothing; the admins' queue shows the submission at once. The submission
/// is audited (the details before and after) in its own transaction.
/// </summary>
public sealed class SubmitBusinessDetails(
    IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClientAddress clientAddress, VerificationChanges changes, TimeProvider time)
{
    public async Task<SubmitBusinessDetailsOutcome> HandleAsync(Caller caller, SubmitBusinessDetailsCommand command, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == command.MerchantId))
        {
            return new(caller.IsAdmin ? CommandResult.Forbidden : CommandResult.NotFound);
        }

        var details = BusinessDetails.Create(command.LegalName, command.Country, command.ContactName, command.ContactPhone, command.ContactEmail);
        if (details.IsFailure)
        {
            return new(CommandResult.Refused("invalid_details", details.Error.ToString()), details.Error.Problems);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockMerchantAsync(command.MerchantId, cancellationToken);
        var profile = await db.MerchantProfiles.SingleOrDefaultAsync(p => p.MerchantId == command.MerchantId, cancellationToken);
        if (profile is null)
        {
            return new(CommandResult.NotFound);
        }

        var previous = profile.Details;
        var submitted = profile.Submit(details.Value, time.GetUtcNow());
        if (submitted.IsFailure)
        {
            return new(CommandResult.Refused(submitted.Error.Code, submitted.Error.Message));
        }

        await audit.AppendAsync(db, AuditRecord.MerchantAccountChange(
            clientAddress.Complete(caller),
            AuditActions.BusinessDetailsSubmitted,
            $"Submitted business details for verification ({details.Value.LegalName}, {details.Value.Country})",
            command.MerchantId,
            before: new { status = submitted.Value.Before, details = previous, rejectionReason = profile.RejectionReason },
            after: new { status = submitted.Value.After, details = details.Value }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(command.MerchantId);
        return new(CommandResult.Ok);
    }
}
