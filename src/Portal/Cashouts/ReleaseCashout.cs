using Cashout.Portal.Audit;
using Cashout.Portal.Common;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// Releases a held cashout: OnHold -> Pending. An admin releases any hold; a merchant only a hold it placed
/// itself (the domain refuses a merchant lifting an admin's or a risk rule's hold).
/// </summary>
public sealed class ReleaseCashout(CashoutTransitionRunner runner)
{
    public Task<CommandResult> HandleAsync(Caller caller, long cashoutId, CancellationToken cancellationToken = default) =>
        caller.IsAdmin || caller.IsMerchant
            ? runner.RunAsync(caller, cashoutId, (cashout, now) => cashout.Release(caller.ToActor(), now), cancellationToken, AuditActions.CashoutReleased)
            : Task.FromResult(CommandResult.NotFound);
}
