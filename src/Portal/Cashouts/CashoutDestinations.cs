using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// Where cashouts are paid, as their merchant recognises it (<see cref="PaymentMethod.Destination"/>), for every
/// page, email and export that names it: a bank cashout stores the transfer instrument id, which names the linked
/// account (even after it was unlinked), so it reads as the holder and the last four digits; a payee email or id
/// reads as itself.
/// </summary>
public static class CashoutDestinations
{
    /// <summary>The destination of each cashout, in the order given (one query for all the bank ones).</summary>
    public static async Task<IReadOnlyList<string>> OfAsync(PortalDbContext db, IReadOnlyList<MerchantCashout> cashouts, CancellationToken cancellationToken)
    {
        var instruments = cashouts.Where(c => c.Method == PayoutMethod.Bank).Select(c => c.PayeeReference).Distinct().ToList();
        var banks = instruments.Count == 0
            ? []
            : await db.PaymentMethods.AsNoTracking()
                .Where(m => m.TransferInstrumentId != null && instruments.Contains(m.TransferInstrumentId))
                .ToListAsync(cancellationToken);
        return [.. cashouts.Select(c => banks.FirstOrDefault(m => m.MerchantId == c.MerchantId && m.TransferInstrumentId == c.PayeeReference)?.Destination ?? c.PayeeReference)];
    }

    public static async Task<string> OfAsync(PortalDbContext db, MerchantCashout cashout, CancellationToken cancellationToken) =>
        (await OfAsync(db, [cashout], cancellationToken))[0];
}
