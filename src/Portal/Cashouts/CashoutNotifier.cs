using Cashout.Domain.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// Writes what a cashout transition must record besides the status: the timeline, the stage email and the
/// merchant's webhook events. The email links to the cashout at the portal's own address (Portal:PublicBaseUrl, or
/// where the server listens), so it is right whatever port or host the portal runs on.
/// </summary>
public sealed class CashoutNotifier(EmailOutbox outbox, PortalAddress portal, CashoutWebhooks webhooks)
{
    /// <summary>Compiled: every transition reads it inside the write lock (docs/performance.md).</summary>
    private static readonly Func<PortalDbContext, string, CancellationToken, Task<string?>> EmailOf =
        EF.CompileAsyncQuery((PortalDbContext db, string merchantId, CancellationToken _) => db.Users.Where(u => u.Id == merchantId).Select(u => u.Email).SingleOrDefault());

    public async Task RecordAsync(PortalDbContext db, MerchantCashout cashout, CashoutTransition transition, CancellationToken cancellationToken)
    {
        await db.InsertAsync(CashoutEvent.StatusChanged(cashout.Id, transition.Event), cancellationToken);
        await webhooks.RecordAsync(db, cashout, transition, cancellationToken);

        var to = await EmailOf(db, cashout.MerchantId, cancellationToken);
        if (string.IsNullOrEmpty(to))
        {
            return;
        }

        var link = new Uri(await portal.ForLinksAsync(cancellationToken), $"cashouts/{cashout.Id}").ToString();
        var content = EmailTemplates.CashoutStage(transition.Email, cashout, await CashoutDestinations.OfAsync(db, cashout, cancellationToken), transition.Event.Reason, link);
        await outbox.WriteAsync(db, to, content, cancellationToken);
        await db.InsertAsync(CashoutEvent.EmailQueued(cashout.Id, content.Subject, to, transition.Event.At), cancellationToken);
    }
}
