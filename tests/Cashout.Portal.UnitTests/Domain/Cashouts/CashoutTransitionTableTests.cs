using Cashout.Domain;
using Cashout.Domain.Cashouts;
using Cashout.Portal.UnitTests.Domain.Support;

namespace Cashout.Portal.UnitTests.Domain.Cashouts;

/// <summary>Every transition tried from every status: allowed exactly where the lifecycle diagram says.</summary>
public class CashoutTransitionTableTests
{
    public enum Action
    {
        HoldByAdmin,
        ReleaseByAdmin,
        CancelByMerchant,
        CancelByAdmin,
        Submit,
        Complete,
        Fail,
        Return,
    }

    private static readonly Dictionary<(CashoutStatus From, Action Action), CashoutStatus> Allowed = new()
    {
        [(CashoutStatus.Pending, Action.HoldByAdmin)] = CashoutStatus.OnHold,
        [(CashoutStatus.Pending, Action.CancelByMerchant)] = CashoutStatus.Cancelled,
        [(CashoutStatus.Pending, Action.CancelByAdmin)] = CashoutStatus.Cancelled,
        [(CashoutStatus.Pending, Action.Submit)] = CashoutStatus.Processing,
        [(CashoutStatus.OnHold, Action.ReleaseByAdmin)] = CashoutStatus.Pending,
        [(CashoutStatus.OnHold, Action.CancelByAdmin)] = CashoutStatus.Cancelled,
        [(CashoutStatus.Processing, Action.Complete)] = CashoutStatus.Completed,
        [(CashoutStatus.Processing, Action.Fail)] = CashoutStatus.Failed,
        [(CashoutStatus.Completed, Action.Return)] = CashoutStatus.Returned,
    };

    public static TheoryData<CashoutStatus, Action> EveryStatusAndAction()
    {
        var data = new TheoryData<CashoutStatus, Action>();
        foreach (var status in Enum.GetValues<CashoutStatus>())
        {
            foreach (var action in Enum.GetValues<Action>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStatusAndAction))]
    public void Moves_to_the_diagrams_status_when_allowed_and_changes_nothing_when_refused(CashoutStatus from, Action action)
    {
        var cashout = Sample.CashoutIn(from);
        var versionBefore = cashout.Version;
        var updatedBefore = cashout.UpdatedAt;
        var now = Sample.Friday.AddDays(2);

        var result = Perform(cashout, action, now);

        if (Allowed.TryGetValue((from, action), out var expectedStatus))
        {
            Assert.True(result.IsSuccess, result.IsFailure ? result.Error.Message : null);
            Assert.Equal(expectedStatus, cashout.Status);
            Assert.Equal(versionBefore + 1, cashout.Version);
            Assert.Equal(now, cashout.UpdatedAt);
            Assert.Equal(from, result.Value.Event.From);
            Assert.Equal(expectedStatus, result.Value.Event.To);
            Assert.Equal(now, result.Value.Event.At);
        }
        else
        {
            Assert.True(result.IsFailure, $"{action} from {from} should be refused.");
            // A merchant cancelling a cashout an admin put on hold is a question of who holds it, not an impossible transition.
            var expectedCode = (from, action) == (CashoutStatus.OnHold, Action.CancelByMerchant)
                ? CashoutErrors.HeldForReviewCode
                : CashoutErrors.InvalidTransitionCode;
            Assert.Equal(expectedCode, result.Error.Code);
            Assert.Equal(from, cashout.Status);
            Assert.Equal(versionBefore, cashout.Version);
            Assert.Equal(updatedBefore, cashout.UpdatedAt);
        }
    }

    [Fact]
    public void Says_which_status_forbids_it_when_cancelling_a_processing_cashout()
    {
        var cashout = Sample.CashoutIn(CashoutStatus.Processing);

        var result = cashout.Cancel(Sample.Admin, "Too late", Sample.Friday);

        Assert.Equal("A cashout that is processing cannot be cancelled.", result.Error.Message);
    }

    private static Result<CashoutTransition, DomainError> Perform(MerchantCashout cashout, Action action, DateTimeOffset now) => action switch
    {
        Action.HoldByAdmin => cashout.Hold(Sample.Admin, "Risk review", now),
        Action.ReleaseByAdmin => cashout.Release(Sample.Admin, now),
        Action.CancelByMerchant => cashout.Cancel(Sample.Merchant, null, now),
        Action.CancelByAdmin => cashout.Cancel(Sample.Admin, "Requested by support", now),
        Action.Submit => cashout.Submit(Sample.SubmitJob, "PO-999", now),
        Action.Complete => cashout.Complete(Sample.Payoneer, now, Sample.ReversalWindow),
        Action.Fail => cashout.Fail(Sample.Payoneer, "808", "ERROR_OTHER", now),
        Action.Return => cashout.Return(Sample.Payoneer, "R01", "Account closed", now),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
