using Cashout.Domain.Cashouts;

namespace Cashout.Portal.UnitTests.Domain.Cashouts;

public class CashoutStatusMappingTests
{
    [Theory]
    [InlineData(CashoutStatus.Pending, "pending")]
    [InlineData(CashoutStatus.OnHold, "on_hold")]
    [InlineData(CashoutStatus.Cancelled, "cancelled")]
    [InlineData(CashoutStatus.Processing, "processing")]
    [InlineData(CashoutStatus.Completed, "completed")]
    [InlineData(CashoutStatus.Failed, "failed")]
    [InlineData(CashoutStatus.Returned, "failed")]
    public void Spells_the_family_A_status_when_mapped(CashoutStatus status, string expected)
    {
        Assert.Equal(expected, status.ToFamilyAStatus());
    }

    [Theory]
    [InlineData(CashoutStatus.Pending, 0, "PENDING", "Pending")]
    [InlineData(CashoutStatus.Completed, 1, "COMPLETED", "Completed")]
    [InlineData(CashoutStatus.Cancelled, 2, "CANCELLED", "Cancelled")]
    [InlineData(CashoutStatus.Failed, 3, "REJECTED", "Rejected")]
    [InlineData(CashoutStatus.Returned, 3, "REJECTED", "Rejected")]
    [InlineData(CashoutStatus.Processing, 4, "DELIVERED", "Delivered")]
    [InlineData(CashoutStatus.OnHold, 5, "ON_HOLD", "On hold")]
    public void Gives_the_family_C_code_and_description_when_mapped(CashoutStatus status, int code, string name, string description)
    {
        Assert.Equal(new FamilyCStatus(code, name, description), status.ToFamilyCStatus());
    }

    [Theory]
    [InlineData(CashoutStatus.Pending, true, true, true)]
    [InlineData(CashoutStatus.OnHold, true, true, true)]
    [InlineData(CashoutStatus.Processing, true, false, true)]
    [InlineData(CashoutStatus.Completed, false, false, true)]
    [InlineData(CashoutStatus.Returned, false, false, false)]
    [InlineData(CashoutStatus.Cancelled, false, false, false)]
    [InlineData(CashoutStatus.Failed, false, false, false)]
    public void Classifies_each_status_for_reservations_rule_4_and_the_cooldown(CashoutStatus status, bool holdsReservation, bool awaitingSubmission, bool startsCooldown)
    {
        Assert.Equal(holdsReservation, status.HoldsReservation());
        Assert.Equal(holdsReservation, status.IsInFlight());
        Assert.Equal(awaitingSubmission, status.IsAwaitingSubmission());
        Assert.Equal(startsCooldown, status.StartsCooldown());
    }
}
