using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>What the cashout form knows before submit: the rule that would decline the request, if any.</summary>
/// <param name="Decline">The first rule (in the published order) that refuses this request; null if it would be accepted now.</param>
/// <param name="FullBalance">The largest amount the method takes out of the available balance; null when below its minimum.</param>
public sealed record CashoutRequestCheck(bool IsVerified, Money Available, IReadOnlyList<PayoutMethod> LinkedMethods, CashoutDecline? Decline, Money? FullBalance);

/// <summary>
/// Runs the cashout request rules on the merchant's current state WITHOUT requesting anything or recording a
/// declined attempt, so the form can show "Amount below minimum" or "Cooldown period" while the merchant types.
/// <see cref="RequestCashout"/> checks the same rules again, atomically, when the request is made.
/// </summary>
public sealed class CheckCashoutRequest(IDbContextFactory<PortalDbContext> dbFactory, CashoutRequestRules rules, TimeProvider time)
{
    public async Task<CashoutRequestCheck?> HandleAsync(Caller caller, string merchantId, PayoutMethod method, long amount, Currency currency, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == merchantId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (snapshot, linkedMethods) = await RequestCashout.ReadSnapshotAsync(db, merchantId, currency, time.GetUtcNow(), cancellationToken);
        var decision = rules.Evaluate(new CashoutRequest(method, amount, currency), snapshot);
        return new CashoutRequestCheck(
            snapshot.IsVerified,
            snapshot.AvailableBalance,
            [.. linkedMethods.Select(m => m.Method).Order()],
            decision.IsFailure ? decision.Error : null,
            rules.FullBalanceAmount(method, snapshot.AvailableBalance));
    }
}
