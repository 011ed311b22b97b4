using Cashout.Domain.Ledger;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.Ledger;

/// <summary>
/// One ledger account with its running balance. The balance is changed only by <see cref="LedgerWriter"/>,
/// with a conditional update in the same transaction as the entries, so reading it is O(1) whatever the history.
/// </summary>
public sealed class LedgerAccount
{
    private LedgerAccount()
    {
    }

    public long Id { get; private set; }

    /// <summary>The readable, unique key of <see cref="LedgerAccountKey.ToString"/>, e.g. "merchant:42:available:USD".</summary>
    public string Key { get; private set; } = "";

    public LedgerAccountKind Kind { get; private set; }

    public string Currency { get; private set; } = "";

    public string? MerchantId { get; private set; }

    public PayoutMethod? Provider { get; private set; }

    public long Balance { get; private set; }
}

/// <summary>A posted ledger transaction: its entries always sum to zero per currency.</summary>
public sealed class LedgerTransactionRecord
{
    private LedgerTransactionRecord()
    {
    }

    public LedgerTransactionRecord(LedgerTransaction transaction, DateTimeOffset postedAt, string? merchantId, long? cashoutId)
    {
        Kind = transaction.Kind;
        Description = transaction.Description;
        PostedAt = postedAt;
        MerchantId = merchantId;
        CashoutId = cashoutId;
    }

    public long Id { get; private set; }

    public LedgerTransactionKind Kind { get; private set; }

    public string Description { get; private set; } = "";

    public DateTimeOffset PostedAt { get; private set; }

    public string? MerchantId { get; private set; }

    public long? CashoutId { get; private set; }

    public List<LedgerEntryRecord> Entries { get; private set; } = [];
}

public sealed class LedgerEntryRecord
{
    private LedgerEntryRecord()
    {
    }

    public LedgerEntryRecord(long accountId, long amount)
    {
        AccountId = accountId;
        Amount = amount;
    }

    public LedgerEntryRecord(long transactionId, long accountId, long amount)
        : this(accountId, amount)
    {
        TransactionId = transactionId;
    }

    public long Id { get; private set; }

    public long TransactionId { get; private set; }

    public long AccountId { get; private set; }

    /// <summary>Signed minor units: positive raises the account's balance.</summary>
    public long Amount { get; private set; }
}
