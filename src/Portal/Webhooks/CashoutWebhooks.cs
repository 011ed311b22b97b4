using System.Globalization;
using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Data;

namespace Cashout.Portal.Webhooks;

/// <summary>
/// The Adyen-style transfer events a cashout produces (family B), queued in the transaction of the change:
/// <c>balancePlatform.transfer.created</c> when a cashout is created, <c>balancePlatform.transfer.updated</c> at
/// every later status change, and <c>balancePlatform.transaction.created</c> whenever the change moved money.
/// </summary>
public sealed class CashoutWebhooks(WebhookOutbox outbox)
{
    public const string TransferCreated = "balancePlatform.transfer.created";
    public const string TransferUpdated = "balancePlatform.transfer.updated";
    public const string TransactionCreated = "balancePlatform.transaction.created";

    public async Task RecordAsync(PortalDbContext db, MerchantCashout cashout, CashoutTransition transition, CancellationToken cancellationToken)
    {
        // Most merchants have no endpoint: then nothing else is read or built (every transition passes here, inside
        // the write lock: docs/performance.md).
        if (!await WebhookOutbox.HasEndpointAsync(db, cashout.MerchantId, cancellationToken))
        {
            return;
        }

        var balanceAccountId = await BalanceAccounts.FindAsync(db, cashout.MerchantId, cancellationToken);
        var type = transition.Event.From is null ? TransferCreated : TransferUpdated;
        outbox.Enqueue(db, cashout.MerchantId, type, Transfer(cashout, balanceAccountId, transition.Event.Reason));
        if (transition.Posting is { } posting)
        {
            outbox.Enqueue(db, cashout.MerchantId, TransactionCreated, Transaction(cashout, posting, balanceAccountId, transition.Event.At));
        }
    }

    /// <summary>Family B's transfer id for a cashout: stable, so every event of one cashout names the same transfer.</summary>
    public static string TransferId(long cashoutId) => "TR" + cashoutId.ToString("D10", CultureInfo.InvariantCulture);

    public static JsonObject Amount(Money money) => new() { ["value"] = money.MinorUnits, ["currency"] = money.Currency.Code };

    private static JsonObject Transfer(MerchantCashout cashout, string? balanceAccountId, string? reason)
    {
        var transfer = new JsonObject
        {
            ["id"] = TransferId(cashout.Id),
            ["cashoutId"] = cashout.Id.ToString(CultureInfo.InvariantCulture),
            ["balanceAccountId"] = balanceAccountId,
            ["category"] = cashout.Method == PayoutMethod.Bank ? "bank" : "platformPayment",
            ["direction"] = "outgoing",
            ["type"] = "bankTransfer",
            ["amount"] = Amount(cashout.NetPayout),
            ["fee"] = Amount(cashout.Fee),
            ["status"] = TransferStatus(cashout.Status),
            ["cashoutStatus"] = cashout.Status.ToFamilyAStatus(),
            ["reference"] = cashout.ExternalId,
            ["counterparty"] = new JsonObject { ["method"] = cashout.Method.ToApiName(), ["payee"] = cashout.PayeeReference },
        };
        if (reason is not null)
        {
            transfer["reason"] = reason;
        }

        if (cashout.RejectionCode is not null)
        {
            transfer["rejectionCode"] = cashout.RejectionCode;
            transfer["rejectionReason"] = cashout.RejectionReason;
        }

        return transfer;
    }

    private static JsonObject Transaction(MerchantCashout cashout, LedgerTransaction posting, string? balanceAccountId, DateTimeOffset at)
    {
        // What the merchant's own balance saw: the sum of the posting's legs on the merchant's available balance.
        var merchantLegs = posting.Entries.Where(e => e.Account.Kind == LedgerAccountKind.MerchantAvailable && e.Account.MerchantId == cashout.MerchantId).Sum(e => e.Amount);
        return new JsonObject
        {
            ["id"] = $"{TransferId(cashout.Id)}-{posting.Kind}",
            ["transferId"] = TransferId(cashout.Id),
            ["balanceAccountId"] = balanceAccountId,
            ["kind"] = posting.Kind.ToString(),
            ["description"] = posting.Description,
            ["amount"] = Amount(Money.Of(merchantLegs, cashout.Currency)),
            ["status"] = "booked",
            ["bookingDate"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
    }

    private static string TransferStatus(CashoutStatus status) => status switch
    {
        CashoutStatus.Pending => "received",
        CashoutStatus.OnHold => "onHold",
        CashoutStatus.Processing => "authorised",
        CashoutStatus.Completed => "booked",
        CashoutStatus.Cancelled => "cancelled",
        CashoutStatus.Failed => "failed",
        CashoutStatus.Returned => "returned",
        _ => status.ToString(),
    };
}
