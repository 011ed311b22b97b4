using Cashout.Portal.Audit;
using Cashout.Portal.Common;

namespace Cashout.Portal.Cashouts;

/// <summary>An admin puts a Pending cashout on hold, with a reason the merchant sees.</summary>
public sealed class HoldCashout(CashoutTransitionRunner runner)
{
    public Task<CommandResult> HandleAsync(Caller caller, long cashoutId, string reason, CancellationToken cancellationToken = default) =>
        caller.IsAdmin
            ? runner.RunAsync(caller, cashoutId, (cashout, now) => cashout.Hold(caller.ToActor(), reason, now), cancellationToken, AuditActions.CashoutHeld)
            : Task.FromResult(caller.IsMerchant ? CommandResult.Forbidden : CommandResult.NotFound);
}
