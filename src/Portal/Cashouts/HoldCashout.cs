using Cashout.Portal.Audit;
using Cashout.Portal.Common;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// Puts a Pending cashout on hold, with a reason the merchant sees: an admin for any merchant, or a merchant for
/// its own cashout (family C's PUT /v3/cashout/status). The runner refuses another merchant's cashout as not found.
/// </summary>
public sealed class HoldCashout(CashoutTransitionRunner runner)
{
    public Task<CommandResult> HandleAsync(Caller caller, long cashoutId, string reason, CancellationToken cancellationToken = default) =>
        caller.IsAdmin || caller.IsMerchant
            ? runner.RunAsync(caller, cashoutId, (cashout, now) => cashout.Hold(caller.ToActor(), reason, now), cancellationToken, AuditActions.CashoutHeld)
            : Task.FromResult(CommandResult.NotFound);
}
