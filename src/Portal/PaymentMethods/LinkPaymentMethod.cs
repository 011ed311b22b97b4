using Cashout.Portal.Audit;
using Cashout.Domain;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Cashout.Portal.Merchants;
using Cashout.Portal.Providers;
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
/// unlinked first. The details are checked here, then by the provider (does the account exist; for a bank account,
/// can it be paid instantly: the transfer route check), and only then written, with a security email.
/// The provider is asked outside the write transaction, so a slow provider never holds the database's write lock.
/// (Step-up re-authentication is checked by the pages and APIs.)
/// </summary>
public sealed class LinkPaymentMethod(
    IDbContextFactory<PortalDbContext> dbFactory,
    PayoutProviders providers,
    EmailOutbox outbox,
    AuditLog audit,
    ClientAddress clientAddress,
    StepUpPolicy stepUp,
    TimeProvider time,
    ILogger<LinkPaymentMethod> logger)
{
    public const string AccountNotVerifiedCode = "account_not_verified";

    public const string ProviderUnavailableCode = "provider_unavailable";

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
        if (await StandingRefusalAsync(db, command, cancellationToken) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        // A bank account's reference is numbered when it is written; the candidate carries a provisional one.
        var candidate = command.Method switch
        {
            PayoutMethod.Payoneer => PaymentMethod.LinkPayoneer(command.MerchantId, command.PayeeEmail, command.PayeeId, now),
            PayoutMethod.Tipalti => PaymentMethod.LinkTipalti(command.MerchantId, command.PayeeEmail, command.PayeeId, now),
            _ => LinkBank(command, sequence: 1, supportsInstant: false, now),
        };
        if (candidate.IsFailure)
        {
            return new(CommandResult.Refused("invalid_details", candidate.Error.ToString()), Problems: candidate.Error.Problems);
        }

        var (providerRefusal, supportsInstant) = await AskProviderAsync(candidate.Value, command.Currency ?? Currency.Default, cancellationToken);
        if (providerRefusal is not null)
        {
            return providerRefusal;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockMerchantAsync(command.MerchantId, cancellationToken);
        // Again inside the write transaction: the merchant's standing may have changed while the provider answered.
        if (await StandingRefusalAsync(db, command, cancellationToken) is { } refusedMeanwhile)
        {
            return refusedMeanwhile;
        }

        var linked = candidate.Value;
        if (command.Method == PayoutMethod.Bank)
        {
            var sequence = await db.PaymentMethods.CountAsync(m => m.TransferInstrumentId != null, cancellationToken) + 1;
            linked = LinkBank(command, sequence, supportsInstant, now).Value;
        }

        db.PaymentMethods.Add(linked);
        await QueueSecurityEmailAsync(db, outbox, command.MerchantId, EmailTemplates.PaymentMethodLinked(linked.Method, linked.Destination), cancellationToken);
        await audit.AppendAsync(db, AuditRecord.MerchantAccountChange(
            clientAddress.Complete(caller), AuditActions.PaymentMethodLinked, $"Linked {linked.Method.ToDisplayName()} ({linked.PayeeReference})", command.MerchantId,
            before: null, after: new { method = linked.Method.ToApiName(), payee = linked.PayeeReference, via = caller.ViaApiCredential ? "api" : "portal" }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(CommandResult.Ok, linked);
    }

    private static async Task<LinkPaymentMethodOutcome?> StandingRefusalAsync(PortalDbContext db, LinkPaymentMethodCommand command, CancellationToken cancellationToken)
    {
        if (!await MerchantStanding.IsVerifiedAsync(db, command.MerchantId, cancellationToken))
        {
            return new(CommandResult.Refused("verification_required", MerchantStanding.VerificationRequired));
        }

        if (await db.PaymentMethods.AnyAsync(m => m.MerchantId == command.MerchantId && m.Method == command.Method && m.UnlinkedAt == null, cancellationToken))
        {
            return new(CommandResult.Refused("already_linked", $"A {command.Method.ToDisplayName()} method is already linked; unlink it first."));
        }

        return null;
    }

    private static Result<PaymentMethod, PaymentMethodInvalid> LinkBank(LinkPaymentMethodCommand command, long sequence, bool supportsInstant, DateTimeOffset now)
    {
        var details = new BankAccountDetails(command.HolderName ?? "", command.Iban, command.AccountNumber, command.Country ?? "", command.Currency ?? Currency.Default);
        // A bad country is reported by LinkBank's own checks; the placeholder only keeps the reference well-formed.
        var country = details.Country.Trim().ToUpperInvariant();
        var reference = TransferInstrumentReference.Create(PayeeDetails.IsCountryCode(country) ? country : "XX", sequence);
        return PaymentMethod.LinkBank(command.MerchantId, details, reference, supportsInstant, now);
    }

    /// <summary>
    /// The provider's account check, and for a bank account its route check (is there an instant route). A method
    /// the provider does not know is refused; a provider that cannot be reached refuses the link for now, since
    /// an unchecked account would only fail at payout time. A route check that fails leaves the account standard.
    /// </summary>
    private async Task<(LinkPaymentMethodOutcome? Refusal, bool SupportsInstant)> AskProviderAsync(PaymentMethod candidate, Currency currency, CancellationToken cancellationToken)
    {
        var provider = providers.For(candidate.Method);
        var name = CashoutStatusText.MethodLabel(candidate.Method);
        var payee = ProviderPayee(candidate);
        var check = await provider.VerifyAccountAsync(payee, currency, cancellationToken);
        if (check.Failure is { IsTransient: true } outage)
        {
            logger.LogWarning("{Provider} could not check a payee account for merchant {MerchantId}: {Failure}", name, candidate.MerchantId, outage);
            return (new(CommandResult.Refused(ProviderUnavailableCode, $"{name} could not be reached to check the account. Nothing was linked; try again in a few minutes.")), false);
        }

        if (check.Value is not { Valid: true })
        {
            var reason = check.Value?.Reason ?? check.Failure?.Reason ?? "the account was not found";
            var message = $"{name} could not verify this account: {reason.TrimEnd('.')}.";
            return (new(CommandResult.Refused(AccountNotVerifiedCode, message), Problems: [new FieldProblem(PayeeField(candidate), message)]), false);
        }

        if (candidate.Method != PayoutMethod.Bank)
        {
            return (null, false);
        }

        var route = await provider.CalculateRouteAsync(payee, Money.Of(100, currency), cancellationToken);
        if (route.Failure is { } failure)
        {
            logger.LogWarning("The bank's route check failed for merchant {MerchantId}; the account is linked for standard transfers: {Failure}", candidate.MerchantId, failure);
        }

        return (null, route.Value?.AllowsInstant ?? false);
    }

    /// <summary>What the provider knows the payee by: the email or payee id; for a bank account the IBAN (it starts with the country), else country and account number.</summary>
    private static string ProviderPayee(PaymentMethod method) => method.BankAccount is { } bank
        ? bank.Iban ?? bank.Country + bank.AccountNumber
        : method.PayeeReference;

    private static string PayeeField(PaymentMethod method) => method.BankAccount is { } bank
        ? bank.Iban is not null ? "iban" : "accountNumber"
        : method.PayeeEmail is not null ? "payeeEmail" : "payeeId";

    internal static async Task QueueSecurityEmailAsync(PortalDbContext db, EmailOutbox outbox, string merchantId, EmailContent content, CancellationToken cancellationToken)
    {
        var to = await db.Users.Where(u => u.Id == merchantId).Select(u => u.Email).SingleAsync(cancellationToken);
        outbox.Enqueue(db, to!, content);
    }
}
