using Cashout.Domain.Monetary;

namespace Cashout.Domain.Ledger;

/// <summary>
/// One line of a ledger transaction: a signed amount in minor units on one account, in that account's
/// currency. Positive increases the account's balance, negative decreases it.
/// </summary>
public sealed record LedgerEntry(LedgerAccountKey Account, long Amount)
{
    public Currency Currency => Account.Currency;

    public override string ToString() => $"{Account} {(Amount >= 0 ? "+" : "")}{Amount}";
}
