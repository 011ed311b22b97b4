using Cashout.Domain.Ledger;

namespace Cashout.Portal.UnitTests.Domain.Support;

/// <summary>
/// The reference model of the host's ledger tables: applies transactions to running balances and, like
/// the host's conditional update, refuses (changing nothing) any that would make a non-negative account negative.
/// </summary>
internal sealed class InMemoryLedger
{
    private readonly Dictionary<LedgerAccountKey, long> balances = [];
    private readonly List<RecordedTransaction> transactions = [];

    public IReadOnlyDictionary<LedgerAccountKey, long> Balances => balances;

    public IReadOnlyList<RecordedTransaction> Transactions => transactions;

    public long BalanceOf(LedgerAccountKey account) => balances.GetValueOrDefault(account);

    /// <summary>Posts the transaction, or returns why not (and changes nothing).</summary>
    public string? TryPost(LedgerTransaction transaction)
    {
        var changes = transaction.Entries
            .GroupBy(entry => entry.Account)
            .Select(group => (Account: group.Key, NewBalance: checked(BalanceOf(group.Key) + group.Sum(entry => entry.Amount))))
            .ToList();

        var overdrawn = changes.Where(change => change.Account.MustStayNonNegative && change.NewBalance < 0).ToList();
        if (overdrawn.Count > 0)
        {
            return $"{transaction.Kind} would make {string.Join(", ", overdrawn.Select(change => $"{change.Account} {change.NewBalance}"))}";
        }

        foreach (var (account, newBalance) in changes)
        {
            balances[account] = newBalance;
        }

        transactions.Add(new RecordedTransaction($"t{transactions.Count + 1}", transaction.Entries));
        return null;
    }

    public IReadOnlyList<InvariantViolation> CheckInvariants(IEnumerable<CashoutReservationFact> cashouts) =>
        LedgerInvariants.Check(transactions, balances, cashouts);
}
