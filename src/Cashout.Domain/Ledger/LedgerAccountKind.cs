namespace Cashout.Domain.Ledger;

public enum LedgerAccountKind
{
    /// <summary>The merchant's money that can be cashed out.</summary>
    MerchantAvailable,

    /// <summary>The merchant's incoming funds that have not settled yet.</summary>
    MerchantPending,

    /// <summary>The merchant's money held for cashouts in flight.</summary>
    MerchantReserved,

    /// <summary>The platform's earned cashout fees, per currency.</summary>
    PlatformFeeRevenue,

    /// <summary>Money handed to a payout provider, per provider and currency.</summary>
    ProviderClearing,

    /// <summary>The outside world that sales come from, per currency; goes negative as funds come in.</summary>
    ExternalFunding,
}

public static class LedgerAccountKinds
{
    /// <summary>
    /// Account kinds whose balance may never drop below zero: the host enforces this in the database
    /// write itself (a conditional update), and the invariant checker verifies it. Pending is included:
    /// settlement can only move funds that arrived.
    /// </summary>
    public static IReadOnlySet<LedgerAccountKind> NonNegative { get; } = new HashSet<LedgerAccountKind>
    {
        LedgerAccountKind.MerchantAvailable,
        LedgerAccountKind.MerchantPending,
        LedgerAccountKind.MerchantReserved,
    };

    public static bool MustStayNonNegative(this LedgerAccountKind kind) => NonNegative.Contains(kind);

    public static bool IsMerchantAccount(this LedgerAccountKind kind) =>
        kind is LedgerAccountKind.MerchantAvailable or LedgerAccountKind.MerchantPending or LedgerAccountKind.MerchantReserved;
}
