using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Balances;

/// <summary>
/// Uses pending funds before their settlement date (the Adyen-style cashout draws on the pending balance). The
/// sales that fund it are consumed earliest-settling first, and a sale used in part is split so that only the rest
/// settles later: the unsettled sales keep summing to the pending balance, and the settle job never settles twice.
/// Runs inside the caller's database transaction, beside the ledger posting that moves the money.
/// </summary>
public static class PendingFundsDraw
{
    public static async Task<long> PendingAsync(PortalDbContext db, string merchantId, Currency currency, CancellationToken cancellationToken)
    {
        var key = LedgerAccountKey.MerchantPending(merchantId, currency).ToString();
        return await db.LedgerAccounts.Where(a => a.Key == key).Select(a => a.Balance).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Marks <paramref name="amount"/> of the merchant's pending sales as settled now.</summary>
    public static async Task ConsumeAsync(PortalDbContext db, string merchantId, Money amount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var code = amount.Currency.Code;
        var sales = await db.PendingFundings
            .Where(f => f.MerchantId == merchantId && f.Currency == code && f.SettledAt == null)
            .OrderBy(f => f.SettlesAt).ThenBy(f => f.Id)
            .ToListAsync(cancellationToken);
        var left = amount.MinorUnits;
        foreach (var sale in sales)
        {
            if (left == 0)
            {
                break;
            }

            sale.MarkSettled(now);
            if (sale.Amount > left)
            {
                db.PendingFundings.Add(new PendingFunding(
                    merchantId, Money.Of(sale.Amount - left, amount.Currency), sale.SettlesAt, Remainder(sale.Description), now));
                left = 0;
            }
            else
            {
                left -= sale.Amount;
            }
        }

        if (left > 0)
        {
            // The ledger's conditional update refuses the posting too; this names the cause if the two ever disagree.
            throw new InvalidOperationException($"Pending sales do not cover {amount}; {left} minor units are missing.");
        }
    }

    private static string Remainder(string description)
    {
        const string suffix = " (rest after early settlement)";
        return description.EndsWith(suffix, StringComparison.Ordinal) ? description : description[..Math.Min(description.Length, 200 - suffix.Length)] + suffix;
    }
}
