using Cashout.Domain;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Cashout.Portal.Merchants;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.PaymentMethods;

/// <summary>What a merchant enters to link a method; which fields matter depends on the method.</summary>
public sealed record LinkPaymentMethodCommand(
    string MerchantId,
    PayoutMethod Method,
    string? PayeeEmail = null,
    string? PayeeId = null,
    string? HolderName = null,
    string? Iban = null,
    string? AccountNumber = null,
    string? Country = null,
    Currency? Currency = null);

public sealed record LinkPaymentMethodOutcome(CommandResult Result, PaymentMethod? Method = null, IReadOnlyList<FieldProblem>? Problems = null);

/// <summary>
/// Links a payout method for a verified merchant, replacing nothing: a method of the same kind must be
/// unlinked first. The merchant gets a security email. (Step-up re-authentication is checked by the pages and APIs.)
/// </summary>
public sealed class LinkPaymentMethod(IDbContextFactory<PortalDbContext> dbFactory, EmailOutbox outbox, StepUpPolicy stepUp, TimeProvider time)
{
    public async Task<LinkPaymentMethodOutcome> HandleAsync(Caller caller, LinkPaymentMethodCommand command, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == command.MerchantId))
        {
            return new(CommandResult.Forbidden);
        }

        if (!stepUp.IsSatisfied(caller))
        {
            return new(CommandResult.Refused(StepUpPolicy.RequiredCode, StepUpPolicy.RequiredMessage));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await MerchantStanding.IsVerifiedAsync(db, command.MerchantId, cancellationToken))
        {
            return new(CommandResult.Refused("verification_required", MerchantStanding.VerificationRequired));
        }

        if (await db.PaymentMethods.AnyAsync(m => m.MerchantId == command.MerchantId && m.Method == command.Method && m.UnlinkedAt == null, cancellationToken))
        {
            return new(CommandResult.Refused("already_linked", $"A {command.Method.ToApiName()} method is already linked; unlink it first."));
        }

        var now = time.GetUtcNow();
        var linked = command.Method switch
        {
            PayoutMethod.Payoneer => PaymentMethod.LinkPayoneer(command.MerchantId, command.PayeeEmail, command.PayeeId, now),
            PayoutMethod.Tipalti => PaymentMethod.LinkTipalti(command.MerchantId, command.PayeeEmail, command.PayeeId, now),
            _ => await LinkBankAsync(db, command, now, cancellationToken),
        };
        if (linked.IsFailure)
        {
            return new(CommandResult.Refused("invalid_details", linked.Error.ToString()), Problems: linked.Error.Problems);
        }

        db.PaymentMethods.Add(linked.Value);
        await QueueSecurityEmailAsync(db, outbox, command.MerchantId, EmailTemplates.PaymentMethodLinked(linked.Value.Method.ToApiName(), linked.Value.PayeeReference), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(CommandResult.Ok, linked.Value);
    }

    private static async Task<Result<PaymentMethod, PaymentMethodInvalid>> LinkBankAsync(PortalDbContext db, LinkPaymentMethodCommand command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var details = new BankAccountDetails(command.HolderName ?? "", command.Iban, command.AccountNumber, command.Country ?? "", command.Currency ?? Currency.Default);
        var sequence = await db.PaymentMethods.CountAsync(m => m.TransferInstrumentId != null, cancellationToken) + 1;
        // A bad country is reported by LinkBank's own checks; the placeholder only keeps the reference well-formed.
        var country = details.Country.Trim().ToUpperInvariant();
        var reference = TransferInstrumentReference.Create(PayeeDetails.IsCountryCode(country) ? country : "XX", sequence);
        // The instant-route answer comes from the provider's route check (the bank adapter); until then, standard.
        return PaymentMethod.LinkBank(command.MerchantId, details, reference, supportsInstant: false, now);
    }

    internal static async Task QueueSecurityEmailAsync(PortalDbContext db, EmailOutbox outbox, string merchantId, EmailContent content, CancellationToken cancellationToken)
    {
        var to = await db.Users.Where(u => u.Id == merchantId).Select(u => u.Email).SingleAsync(cancellationToken);
        outbox.Enqueue(db, to!, content);
    }
}
