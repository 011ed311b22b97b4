using Cashout.Portal.Audit;
using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.PaymentMethods;

/// <summary>Unlinks a merchant's method, refused while a cashout using it is in flight; sends a security email.</summary>
public sealed class UnlinkPaymentMethod(
    IDbContextFactory<PortalDbContext> dbFactory, EmailOutbox outbox, AuditLog audit, ClientAddress clientAddress, StepUpPolicy stepUp, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(Caller caller, string merchantId, PayoutMethod method, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == merchantId))
        {
            return CommandResult.Forbidden;
        }

        if (!stepUp.IsSatisfied(caller))
        {
            return CommandResult.Refused(StepUpPolicy.RequiredCode, StepUpPolicy.RequiredMessage);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockMerchantAsync(merchantId, cancellationToken);
        var linked = await db.PaymentMethods.SingleOrDefaultAsync(m => m.MerchantId == merchantId && m.Method == method && m.UnlinkedAt == null, cancellationToken);
        if (linked is null)
        {
            return CommandResult.Refused(PaymentMethod.NotLinkedCode, "Payment method not linked");
        }

        var inFlight = await db.Cashouts.AnyAsync(
            c => c.MerchantId == merchantId && c.Method == method &&
                 (c.Status == CashoutStatus.Pending || c.Status == CashoutStatus.OnHold || c.Status == CashoutStatus.Processing),
            cancellationToken);
        var unlinked = linked.Unlink(inFlight, time.GetUtcNow());
        if (unlinked.IsFailure)
        {
            return CommandResult.Refused(unlinked.Error.Code, unlinked.Error.Message);
        }

        await LinkPaymentMethod.QueueSecurityEmailAsync(db, outbox, merchantId, EmailTemplates.PaymentMethodUnlinked(method, linked.Destination), cancellationToken);
        await audit.AppendAsync(db, AuditRecord.MerchantAccountChange(
            clientAddress.Complete(caller), AuditActions.PaymentMethodUnlinked, $"Unlinked {method.ToDisplayName()} ({linked.PayeeReference})", merchantId,
            before: new { method = method.ToApiName(), payee = linked.PayeeReference }, after: new { via = caller.ViaApiCredential ? "api" : "portal" }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CommandResult.Ok;
    }
}
