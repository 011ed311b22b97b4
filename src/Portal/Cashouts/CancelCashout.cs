using Cashout.Portal.Audit;
using Cashout.Portal.Common;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// The merchant cancels its own Pending cashout, or an admin cancels a Pending or held one with a reason;
/// the reserved funds go back to available. The domain refuses it once Processing. An admin's cancel is audited.
/// </summary>
public sealed class CancelCashout(CashoutTransitionRunner runner)
{
    public Task<CommandResult> HandleAsync(Caller caller, long cashoutId, string? reason, CancellationToken cancellationToken = default) =>
        runner.RunAsync(caller, cashoutId, (cashout, now) => cashout.Cancel(caller.ToActor(), reason, now), cancellationToken, AuditActions.CashoutCancelled);
}
