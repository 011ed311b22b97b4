namespace Cashout.Domain.Cashouts;

public enum CashoutStatus
{
    Pending,
    OnHold,
    Cancelled,
    Processing,
    Completed,
    Failed,
    Returned,
}

public static class CashoutStatuses
{
    /// <summary>Pending, OnHold and Processing cashouts hold their debit in the merchant's reserved balance.</summary>
    public static bool HoldsReservation(this CashoutStatus status) =>
        status is CashoutStatus.Pending or CashoutStatus.OnHold or CashoutStatus.Processing;

    /// <summary>A cashout still waiting for review: request rule 4 allows only one per merchant.</summary>
    public static bool IsAwaitingSubmission(this CashoutStatus status) =>
        status is CashoutStatus.Pending or CashoutStatus.OnHold;

    /// <summary>In flight: the payment method it uses cannot be unlinked.</summary>
    public static bool IsInFlight(this CashoutStatus status) => status.HoldsReservation();

    /// <summary>
    /// Whether a cashout's request time starts the 24-hour cooldown: only cashouts that paid out (or may still) count.
    /// Cancelled, Failed and Returned ones do not: the money came back, and the merchant may try again at once.
    /// </summary>
    public static bool StartsCooldown(this CashoutStatus status) =>
        !EndedWithoutPayout.Contains(status);

    /// <summary>The final statuses in which the money came back to the merchant's available balance.</summary>
    public static readonly IReadOnlyList<CashoutStatus> EndedWithoutPayout = [CashoutStatus.Cancelled, CashoutStatus.Failed, CashoutStatus.Returned];
}
