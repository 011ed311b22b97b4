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
}
