using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>The quote of every linked method side by side for one amount: fee, net, debit, estimated completion.</summary>
public sealed class QuoteCashout(IDbContextFactory<PortalDbContext> dbFactory, QuoteCalculator quotes)
{
    public async Task<IReadOnlyList<Quote>> HandleAsync(Caller caller, string merchantId, long amount, Currency currency, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var linked = await db.PaymentMethods.AsNoTracking()
            .Where(m => m.MerchantId == merchantId && m.UnlinkedAt == null)
            .OrderBy(m => m.Method)
            .ToListAsync(cancellationToken);
        return quotes.CompareMethods(linked.Select(m => m.ToQuoteOption()), Money.Of(amount, currency));
    }
}
