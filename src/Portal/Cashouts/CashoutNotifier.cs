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
    public async Task RecordAsync(PortalDbContext db, MerchantCashout cashout, CashoutTransition transition, CancellationToken cancellationToken)
    {
        db.CashoutEvents.Add(CashoutEvent.StatusChanged(cashout.Id, transition.Event));
        await webhooks.RecordAsync(db, cashout, transition, cancellationToken);

        var to = await db.Users.Where(u => u.Id == cashout.MerchantId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        if (string.IsNullOrEmpty(to))
        {
            return;
        }

        var link = new Uri(await portal.ForLinksAsync(cancellationToken), $"cashouts/{cashout.Id}").ToString();
        var content = EmailTemplates.CashoutStage(transition.Email, cashout, await CashoutDestinations.OfAsync(db, cashout, cancellationToken), transition.Event.Reason, link);
        outbox.Enqueue(db, to, content);
        db.CashoutEvents.Add(CashoutEvent.EmailQueued(cashout.Id, content.Subject, to, transition.Event.At));
    }
}
