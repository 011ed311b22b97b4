namespace Cashout.Domain.Cashouts;

/// <summary>A family-C (Lime-Pay style) status: numeric code, API name and description.</summary>
public sealed record FamilyCStatus(int Code, string Name, string Description);

/// <summary>How each API family spells a cashout status (DESIGN.md section 2, "Mapping to the API families").</summary>
public static class CashoutStatusMapping
{
    public static readonly FamilyCStatus FamilyCPending = new(0, "PENDING", "Pending");
    public static readonly FamilyCStatus FamilyCCompleted = new(1, "COMPLETED", "Completed");
    public static readonly FamilyCStatus FamilyCCancelled = new(2, "CANCELLED", "Cancelled");
    public static readonly FamilyCStatus FamilyCRejected = new(3, "REJECTED", "Rejected");
    public static readonly FamilyCStatus FamilyCDelivered = new(4, "DELIVERED", "Delivered");
    public static readonly FamilyCStatus FamilyCOnHold = new(5, "ON_HOLD", "On hold");

    /// <summary>Family A (marketplace API): lower-case names; Failed and Returned both read "failed".</summary>
    public static string ToFamilyAStatus(this CashoutStatus status) => status switch
    {
        CashoutStatus.Pending => "pending",
        CashoutStatus.OnHold => "on_hold",
        CashoutStatus.Cancelled => "cancelled",
        CashoutStatus.Processing => "processing",
        CashoutStatus.Completed => "completed",
        CashoutStatus.Failed or CashoutStatus.Returned => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown cashout status."),
    };

    /// <summary>Family C: Processing is DELIVERED; Failed and Returned are REJECTED.</summary>
    public static FamilyCStatus ToFamilyCStatus(this CashoutStatus status) => status switch
    {
        CashoutStatus.Pending => FamilyCPending,
        CashoutStatus.OnHold => FamilyCOnHold,
        CashoutStatus.Cancelled => FamilyCCancelled,
        CashoutStatus.Processing => FamilyCDelivered,
        CashoutStatus.Completed => FamilyCCompleted,
        CashoutStatus.Failed or CashoutStatus.Returned => FamilyCRejected,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown cashout status."),
    };
}
