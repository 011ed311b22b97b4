namespace Cashout.Domain.Ledger;

/// <summary>
/// A balanced set of ledger entries: for each currency the amounts sum to zero, and no entry is zero.
/// The constructor refuses anything else, so an unbalanced transaction cannot exist in memory.
/// </summary>
public sealed class LedgerTransaction
{
    public LedgerTransaction(LedgerTransactionKind kind, string description, IEnumerable<LedgerEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        var entryList = entries.ToList();

        var problems = LedgerInvariants.ProblemsWithEntries(entryList);
        if (problems.Count > 0)
        {
            // Postings are built by code, not by users: an unbalanced one is a bug, so it throws.
            throw new InvalidOperationException($"Refusing an invalid {kind} transaction: {string.Join("; ", problems)}.");
        }

        Kind = kind;
        Description = description;
        Entries = entryList;
    }

    public LedgerTransactionKind Kind { get; }

    public string Description { get; }

    public IReadOnlyList<LedgerEntry> Entries { get; }

    public override string ToString() => $"{Kind} ({Description}): {string.Join(", ", Entries)}";
}
