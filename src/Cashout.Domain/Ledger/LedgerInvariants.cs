using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;

namespace Cashout.Domain.Ledger;

/// <summary>The money invariants of DESIGN.md section 7.</summary>
public enum LedgerInvariant
{
    TransactionBalances,
    RunningBalanceMatchesEntries,
    BalanceNotNegative,
    CurrencyTotalIsZero,
    ReservedMatchesCashouts,
    /// <summary>A transaction that moves a merchant's money names that merchant (reports read by merchant and time).</summary>
    TransactionNamesItsMerchant,
}

public sealed record InvariantViolation(LedgerInvariant Invariant, string Description)
{
    public override string ToString() => $"{Invariant}: {Description}";
}

/// <summary>A transaction as stored, which (unlike <see cref="LedgerTransaction"/>) may be broken: that is what we check.</summary>
public sealed record RecordedTransaction(string Id, IReadOnlyList<LedgerEntry> Entries);

/// <summary>What the checker needs to know of a cashout to match it against its merchant's reserved balance.</summary>
public sealed record CashoutReservationFact(string CashoutId, string MerchantId, CashoutStatus Status, Money Debit);

/// <summary>
/// Pure checks of the ledger's invariants, shared by the unit tests' in-memory ledger and the host's
/// database verifier. Every check reports readable violations instead of stopping at the first.
/// </summary>
public static class LedgerInvariants
{
    /// <summary>Why a set of entries is not a valid transaction; empty when it is.</summary>
    public static IReadOnlyList<string> ProblemsWithEntries(IReadOnlyCollection<LedgerEntry> entries)
    {
        var problems = new List<string>();
        if (entries.Count < 2)
        {
            problems.Add($"a transaction needs at least two entries, found {entries.Count}");
        }

        problems.AddRange(entries.Where(entry => entry.Amount == 0).Select(entry => $"zero-amount entry on {entry.Account}"));

        foreach (var currencyGroup in entries.GroupBy(entry => entry.Currency))
        {
            var sum = currencyGroup.Aggregate(Int128.Zero, (total, entry) => total + entry.Amount);
            if (sum != 0)
            {
                problems.Add($"{currencyGroup.Key} entries sum to {sum}, not 0");
            }
        }

        return problems;
    }

    /// <summary>
    /// Checks the whole ledger: each transaction balances; each running balance equals the sum of its
    /// entries; non-negative accounts are not negative; all accounts of a currency total zero; each
    /// merchant's reserved balance equals the debits of its cashouts that hold a reservation.
    /// </summary>
    public static IReadOnlyList<InvariantViolation> Check(
        IEnumerable<RecordedTransaction> transactions,
        IReadOnlyDictionary<LedgerAccountKey, long> runningBalances,
        IEnumerable<CashoutReservationFact> cashouts)
    {
        var transactionList = transactions.ToList();
        var violations = new List<InvariantViolation>();
        violations.AddRange(CheckTransactionsBalance(transactionList));
        violations.AddRange(CheckRunningBalances(transactionList, runningBalances));
        violations.AddRange(CheckNonNegative(runningBalances));
        violations.AddRange(CheckCurrencyTotals(runningBalances));
        violations.AddRange(CheckReservations(runningBalances, cashouts));
        return violations;
    }

    private static IEnumerable<InvariantViolation> CheckTransactionsBalance(IEnumerable<RecordedTransaction> transactions) =>
        from transaction in transactions
        from problem in ProblemsWithEntries(transaction.Entries.ToList())
        select new InvariantViolation(LedgerInvariant.TransactionBalances, $"Transaction {transaction.Id}: {problem}.");

    private static IEnumerable<InvariantViolation> CheckRunningBalances(
        IEnumerable<RecordedTransaction> transactions,
        IReadOnlyDictionary<LedgerAccountKey, long> runningBalances)
    {
        var recomputed = new Dictionary<LedgerAccountKey, Int128>();
        foreach (var entry in transactions.SelectMany(transaction => transaction.Entries))
        {
            recomputed[entry.Account] = recomputed.GetValueOrDefault(entry.Account) + entry.Amount;
        }

        // An account missing on one side counts as zero there.
        foreach (var account in recomputed.Keys.Union(runningBalances.Keys))
        {
            var fromEntries = recomputed.GetValueOrDefault(account);
            var running = runningBalances.GetValueOrDefault(account);
            if (fromEntries != running)
            {
                yield return new InvariantViolation(
                    LedgerInvariant.RunningBalanceMatchesEntries,
                    $"Account {account}: running balance {running} but its entries sum to {fromEntries}.");
            }
        }
    }

    private static IEnumerable<InvariantViolation> CheckNonNegative(IReadOnlyDictionary<LedgerAccountKey, long> runningBalances) =>
        from balance in runningBalances
        where balance.Key.MustStayNonNegative && balance.Value < 0
        select new InvariantViolation(
            LedgerInvariant.BalanceNotNegative,
            $"Account {balance.Key} is negative: {balance.Value}.");

    private static IEnumerable<InvariantViolation> CheckCurrencyTotals(IReadOnlyDictionary<LedgerAccountKey, long> runningBalances) =>
        from currencyGroup in runningBalances.GroupBy(balance => balance.Key.Currency)
        let total = currencyGroup.Aggregate(Int128.Zero, (sum, balance) => sum + balance.Value)
        where total != 0
        select new InvariantViolation(
            LedgerInvariant.CurrencyTotalIsZero,
            $"All {currencyGroup.Key} accounts total {total}, not 0.");

    private static IEnumerable<InvariantViolation> CheckReservations(
        IReadOnlyDictionary<LedgerAccountKey, long> runningBalances,
        IEnumerable<CashoutReservationFact> cashouts)
    {
        var expected = cashouts
            .Where(cashout => cashout.Status.HoldsReservation())
            .GroupBy(cashout => LedgerAccountKey.MerchantReserved(cashout.MerchantId, cashout.Debit.Currency))
            .ToDictionary(group => group.Key, group => group.Aggregate(Int128.Zero, (sum, cashout) => sum + cashout.Debit.MinorUnits));

        var reservedAccounts = runningBalances.Keys.Where(account => account.Kind == LedgerAccountKind.MerchantReserved);
        foreach (var account in reservedAccounts.Union(expected.Keys))
        {
            var actual = runningBalances.GetValueOrDefault(account);
            var fromCashouts = expected.GetValueOrDefault(account);
            if (actual != fromCashouts)
            {
                yield return new InvariantViolation(
                    LedgerInvariant.ReservedMatchesCashouts,
                    $"Account {account} holds {actual} but the merchant's cashouts in Pending, OnHold or Processing debit {fromCashouts}.");
            }
        }
    }
}
