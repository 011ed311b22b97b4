using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Merchants;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.PaymentMethods;

/// <summary>One linked payout method as the payment methods page shows it.</summary>
/// <param name="Payee">Email and/or payee id, or the bank holder and masked account.</param>
/// <param name="IsNewlyLinked">Linked less than the cooling-off period ago: the page shows a notice.</param>
public sealed record LinkedPaymentMethod(
    PayoutMethod Method,
    string Payee,
    string? TransferInstrumentId,
    Currency? BankCurrency,
    bool SupportsInstant,
    DateTimeOffset LinkedAt,
    bool IsNewlyLinked);

/// <summary>The payment methods page: whether the merchant may link (Verified) and what is linked.</summary>
public sealed record PaymentMethodsOverview(bool IsVerified, IReadOnlyList<LinkedPaymentMethod> Linked);

/// <summary>A merchant's linked payout methods, in method order. Only the merchant itself (or an admin) may read them.</summary>
public sealed class ListPaymentMethods(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task<PaymentMethodsOverview> HandleAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId) || caller.IsSystem)
        {
            return new PaymentMethodsOverview(false, []);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var methods = await db.PaymentMethods.AsNoTracking()
            .Where(m => m.MerchantId == merchantId && m.UnlinkedAt == null)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var verified = await MerchantStanding.IsVerifiedAsync(db, merchantId, cancellationToken);
        return new PaymentMethodsOverview(verified, [.. methods.OrderBy(m => m.Method).Select(m => new LinkedPaymentMethod(
            m.Method,
            Describe(m),
            m.TransferInstrumentId,
            m.BankAccount?.Currency,
            m.SupportsInstant,
            m.LinkedAt,
            m.IsNewlyLinked(now, PaymentMethod.DefaultCoolingOff)))]);
    }

    private static string Describe(PaymentMethod method) => method.BankAccount is { } bank
        ? $"{method.Destination} · {bank.Country}"
        : string.Join(" · ", new[] { method.PayeeEmail, method.PayeeId is null ? null : $"payee id {method.PayeeId}" }.Where(part => part is not null));
}
