namespace Cashout.Domain.Ledger;

public enum LedgerTransactionKind
{
    FundToPending,
    FundToAvailable,
    Settle,
    ReserveForCashout,
    ReleaseOnCancel,
    ReleaseOnFail,
    CompleteCashout,
    ReturnCashout,

    /// <summary>Pending funds made available before their settlement date to fund a cashout (family B).</summary>
    SettleEarly,

    /// <summary>A cashout without a counterparty (family B): pending becomes available, less the platform fee.</summary>
    CashoutToBalance,
}
