using Cashout.Domain.Cashouts;
using Cashout.Portal.Common;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// The transitions only the payout pipeline makes: the submit job (Pending -> Processing) and provider
/// webhooks or polls (Processing -> Completed or Failed, Completed -> Returned). They are grouped because
/// each is one line over <see cref="CashoutTransitionRunner"/>; merchants and admins can never call them.
/// </summary>
public sealed class ProviderTransitions(CashoutTransitionRunner runner, IOptions<CashoutOptions> options)
{
    /// <param name="alongside">Written in the same transaction (the submit job counts its first attempt at the provider there).</param>
    public Task<CommandResult> SubmitAsync(
        Actor actor, long cashoutId, string providerReference, CancellationToken cancellationToken = default, CashoutTransitionRunner.Alongside? alongside = null) =>
        Run(actor, cashoutId, (cashout, now) => cashout.Submit(actor, providerReference, now), cancellationToken, alongside);

    public Task<CommandResult> CompleteAsync(Actor actor, long cashoutId, CancellationToken cancellationToken = default) =>
        Run(actor, cashoutId, (cashout, now) => cashout.Complete(actor, now, options.Value.ReversalWindow), cancellationToken);

    public Task<CommandResult> FailAsync(Actor actor, long cashoutId, string code, string reason, CancellationToken cancellationToken = default) =>
        Run(actor, cashoutId, (cashout, now) => cashout.Fail(actor, code, reason, now), cancellationToken);

    public Task<CommandResult> ReturnAsync(Actor actor, long cashoutId, string code, string reason, CancellationToken cancellationToken = default) =>
        Run(actor, cashoutId, (cashout, now) => cashout.Return(actor, code, reason, now), cancellationToken);

    private Task<CommandResult> Run(
        Actor actor, long cashoutId, CashoutTransitionRunner.Transition transition, CancellationToken cancellationToken, CashoutTransitionRunner.Alongside? alongside = null) =>
        actor.Kind is ActorKind.System or ActorKind.Provider
            ? runner.RunAsync(Caller.System(actor.Id), cashoutId, transition, cancellationToken, alongside: alongside)
            : Task.FromResult(CommandResult.Forbidden);
}
