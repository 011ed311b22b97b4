using System.Globalization;
using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Ledger;
using Cashout.Portal.Merchants;
using Cashout.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Balances;

/// <param name="Fee">The platform's fee, charged on top of the amount (Adyen semantics); null for the configured bank fee.</param>
public sealed record CashoutToBalanceCommand(string MerchantId, long Amount, Currency Currency, Money? Fee, string Source = "api-b");

/// <param name="TransactionId">The ledger transaction that moved the funds, when accepted.</param>
/// <param name="PendingAvailable">The pending balance before the request, for the "exceeds" message.</param>
public sealed record CashoutToBalanceOutcome(CommandStatus Status, long? TransactionId = null, Money? Amount = null, Money? Fee = null, CashoutDecline? Decline = null, Money? PendingAvailable = null);

/// <summary>
/// A cashout without a counterparty (family B, Adyen's "the funds are not paid out, but remain in the user's
/// balance account"): pending funds become available at once, and the platform's fee is charged on top.
/// Checked in order: amount and fee (the quote calculator, with the bank's terms), verification, the minimum,
/// then amount + fee against pending, all in one BEGIN IMMEDIATE transaction with the posting and the webhook events.
/// </summary>
public sealed class CashoutToBalance(IDbContextFactory<PortalDbContext> dbFactory, QuoteCalculator quotes, LedgerWriter ledger, WebhookOutbox webhooks, TimeProvider time)
{
    public async Task<CashoutToBalanceOutcome> HandleAsync(Caller caller, CashoutToBalanceCommand command, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == command.MerchantId))
        {
            return new(CommandStatus.Forbidden);
        }

        var amount = Money.Of(command.Amount, command.Currency);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockMerchantAsync(command.MerchantId, cancellationToken);
        var pending = Money.Of(await PendingFundsDraw.PendingAsync(db, command.MerchantId, command.Currency, cancellationToken), command.Currency);

        var quote = quotes.Calculate(PayoutMethod.Bank, amount, FeeSemantics.FeeOnTop, instantRoute: false, command.Fee);
        var decline = Check(quote, amount, await MerchantStanding.IsVerifiedAsync(db, command.MerchantId, cancellationToken), pending);
        if (decline is not null)
        {
            db.DeclinedAttempts.Add(new DeclinedAttempt(command.MerchantId, command.Source, "balance", command.Amount, command.Currency.Code, decline, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new(CommandStatus.Refused, Decline: decline, PendingAvailable: pending);
        }

        var now = time.GetUtcNow();
        var fee = quote.Value.Fee;
        var posting = LedgerPostings.CashoutToBalance(command.MerchantId, amount, fee);
        var record = await ledger.PostAsync(db, posting, command.MerchantId, cashoutId: null, cancellationToken);
        await PendingFundsDraw.ConsumeAsync(db, command.MerchantId, amount + fee, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await QueueWebhooksAsync(db, command.MerchantId, record.Id, amount, fee, posting, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(CommandStatus.Succeeded, record.Id, amount, fee, PendingAvailable: pending);
    }

    private static CashoutDecline? Check(Domain.Result<Quote, Domain.DomainError> quote, Money amount, bool verified, Money pending)
    {
        if (quote.IsFailure)
        {
            return quote.Error.Code switch
            {
                QuoteCalculator.InvalidFeeAmountCode => new CashoutDecline(CashoutDeclineRule.InvalidFeeAmount, "Invalid fee amount", "The fee is the platform's configured fee: leave it out, or give the fee the quote shows."),
                QuoteCalculator.FeeCurrencyMismatchCode => new CashoutDecline(CashoutDeclineRule.FeeCurrencyMismatch, "Fee amount has a different currency than instruction amount", "Give the fee in the currency of the amount."),
                _ => new CashoutDecline(CashoutDeclineRule.InvalidAmount, "Invalid amount", $"The amount must be between 1 and {Money.MaximumMinorUnits} {amount.Currency.MinorUnitName}."),
            };
        }

        if (!verified)
        {
            return new CashoutDecline(CashoutDeclineRule.VerificationRequired, MerchantStanding.VerificationRequired, "Account must be verified before cashing out.");
        }

        if (quote.Value.IsBelowMinimum)
        {
            return new CashoutDecline(CashoutDeclineRule.AmountBelowMinimum, "Minimum required amount not reached", $"The minimum is {quote.Value.Minimum}.");
        }

        return quote.Value.TotalDebit > pending
            ? new CashoutDecline(CashoutDeclineRule.InsufficientBalance, "Insufficient balance", $"Amount and fee exceed the pending balance of {pending}.")
            : null;
    }

    private async Task QueueWebhooksAsync(PortalDbContext db, string merchantId, long transactionId, Money amount, Money fee, LedgerTransaction posting, CancellationToken cancellationToken)
    {
        var balanceAccountId = await BalanceAccounts.FindAsync(db, merchantId, cancellationToken);
        var id = TransferId(transactionId);
        var transfer = new JsonObject
        {
            ["id"] = id,
            ["balanceAccountId"] = balanceAccountId,
            ["category"] = "internal",
            ["direction"] = "incoming",
            ["type"] = "cashoutRepayment",
            ["amount"] = CashoutWebhooks.Amount(amount),
            ["fee"] = CashoutWebhooks.Amount(fee),
            ["status"] = "booked",
        };
        if (!await webhooks.EnqueueAsync(db, merchantId, CashoutWebhooks.TransferCreated, transfer, cancellationToken))
        {
            return;
        }

        await webhooks.EnqueueAsync(db, merchantId, CashoutWebhooks.TransactionCreated, new JsonObject
        {
            ["id"] = id + "-" + posting.Kind,
            ["transferId"] = id,
            ["balanceAccountId"] = balanceAccountId,
            ["kind"] = posting.Kind.ToString(),
            ["description"] = posting.Description,
            ["amount"] = CashoutWebhooks.Amount(amount),
            ["status"] = "booked",
            ["bookingDate"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        }, cancellationToken);
    }

    /// <summary>Family B's id for a cashout that stayed in the balance: its ledger transaction, prefixed.</summary>
    public static string TransferId(long transactionId) => "CB" + transactionId.ToString("D10", CultureInfo.InvariantCulture);
}
