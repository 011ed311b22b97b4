using Cashout.Portal.Audit;
using Cashout.Portal.Common;

namespace Cashout.Portal.Cashouts;

/// <summary>An admin releases a held cashout: OnHold -> Pending.</summary>
public sealed class ReleaseCashout(CashoutTransitionRunner runner)
{
    public Task<CommandResult> HandleAsync(Caller caller, long cashoutId, CancellationToken cancellationToken = default) =>
        caller.IsAdmin
            ? runner.RunAsync(caller, cashoutId, (cashout, now) => cashout.Release(caller.ToActor(), now), cancellationToken, AuditActions.CashoutReleased)
            : Task.FromResult(caller.IsMerchant ? CommandResult.Forbidden : CommandResult.NotFound);
}
