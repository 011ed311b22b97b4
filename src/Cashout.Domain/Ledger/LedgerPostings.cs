using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Domain.Ledger;

/// <summary>
/// The ledger transaction for each money movement. Sign convention: a positive balance on a merchant
/// account is money owed to the merchant, fee revenue grows positive as the platform earns, provider
/// clearing grows positive as money is handed to providers, and external funding grows negative as
/// sales come in. Every transaction sums to zero per currency, so the total of all accounts is zero.
/// </summary>
public static class LedgerPostings
{
    /// <summary>A sale arrives but has not settled: external -X, pending +X.</summary>
    public static LedgerTransaction FundToPending(string merchantId, Money amount, string? description = null) =>
        new(LedgerTransactionKind.FundToPending, description ?? $"Funding of {amount} to pending", Move(
            amount,
            from: LedgerAccountKey.ExternalFunding(amount.Currency),
            to: LedgerAccountKey.MerchantPending(merchantId, amount.Currency)));

    /// <summary>A settled sale: external -X, available +X.</summary>
    public static LedgerTransaction FundToAvailable(string merchantId, Money amount, string? description = null) =>
        new(LedgerTransactionKind.FundToAvailable, description ?? $"Funding of {amount} to available", Move(
            amount,
            from: LedgerAccountKey.ExternalFunding(amount.Currency),
            to: LedgerAccountKey.MerchantAvailable(merchantId, amount.Currency)));

    /// <summary>Pending funds reach their settlement date: pending -X, available +X.</summary>
    public static LedgerTransaction Settle(string merchantId, Money amount) =>
        new(LedgerTransactionKind.Settle, $"Settlement of {amount}", Move(
            amount,
            from: LedgerAccountKey.MerchantPending(merchantId, amount.Currency),
            to: LedgerAccountKey.MerchantAvailable(merchantId, amount.Currency)));

    /// <summary>A cashout is requested: available -debit, reserved +debit.</summary>
    public static LedgerTransaction ReserveForCashout(string merchantId, Money debit) =>
        new(LedgerTransactionKind.ReserveForCashout, $"Reservation of {debit} for a cashout", Move(
            debit,
            from: LedgerAccountKey.MerchantAvailable(merchantId, debit.Currency),
            to: LedgerAccountKey.MerchantReserved(merchantId, debit.Currency)));

    /// <summary>A cashout is cancelled: reserved -debit, available +debit.</summary>
    public static LedgerTransaction ReleaseOnCancel(string merchantId, Money debit) =>
        new(LedgerTransactionKind.ReleaseOnCancel, $"Release of {debit}: cashout cancelled", ReleaseReservation(merchantId, debit));

    /// <summary>The provider failed the payout: reserved -debit, available +debit (amount and fee refunded).</summary>
    public static LedgerTransaction ReleaseOnFail(string merchantId, Money debit) =>
        new(LedgerTransactionKind.ReleaseOnFail, $"Release of {debit}: cashout failed", ReleaseReservation(merchantId, debit));

    /// <summary>
    /// The provider paid out: reserved -debit, provider clearing +payout, fee revenue +fee.
    /// Zero legs are left out (a fee of 0, or a payout of 0 when the fee took the whole amount).
    /// </summary>
    public static LedgerTransaction CompleteCashout(string merchantId, PayoutMethod provider, CashoutSettlement settlement) =>
        new(LedgerTransactionKind.CompleteCashout, $"Cashout of {settlement.Payout} paid via {provider.ToApiName()}, fee {settlement.Fee}", NonZero(
            new LedgerEntry(LedgerAccountKey.MerchantReserved(merchantId, settlement.Currency), -settlement.Debit.MinorUnits),
            new LedgerEntry(LedgerAccountKey.ProviderClearing(provider, settlement.Currency), settlement.Payout.MinorUnits),
            new LedgerEntry(LedgerAccountKey.PlatformFeeRevenue(settlement.Currency), settlement.Fee.MinorUnits)));

    /// <summary>
    /// The beneficiary's bank returned a completed payout: provider clearing -payout, fee revenue -fee,
    /// available +debit. The merchant gets amount and fee back, like a failure.
    /// </summary>
    public static LedgerTransaction ReturnCashout(string merchantId, PayoutMethod provider, CashoutSettlement settlement) =>
        new(LedgerTransactionKind.ReturnCashout, $"Cashout of {settlement.Payout} returned via {provider.ToApiName()}, fee {settlement.Fee} refunded", NonZero(
            new LedgerEntry(LedgerAccountKey.ProviderClearing(provider, settlement.Currency), -settlement.Payout.MinorUnits),
            new LedgerEntry(LedgerAccountKey.PlatformFeeRevenue(settlement.Currency), -settlement.Fee.MinorUnits),
            new LedgerEntry(LedgerAccountKey.MerchantAvailable(merchantId, settlement.Currency), settlement.Debit.MinorUnits)));

    /// <summary>
    /// Pending funds are made available before their settlement date, so that a cashout can use them at once
    /// (the Adyen-style cashout): pending -X, available +X.
    /// </summary>
    public static LedgerTransaction SettleEarly(string merchantId, Money amount) =>
        new(LedgerTransactionKind.SettleEarly, $"Early settlement of {amount} for a cashout", Move(
            amount,
            from: LedgerAccountKey.MerchantPending(merchantId, amount.Currency),
            to: LedgerAccountKey.MerchantAvailable(merchantId, amount.Currency)));

    /// <summary>
    /// A cashout without a counterparty: nothing is paid out, the funds stay in the merchant's balance, but they
    /// become available now and the platform charges its fee: pending -(amount + fee), available +amount,
    /// fee revenue +fee. A zero fee leaves its leg out.
    /// </summary>
    public static LedgerTransaction CashoutToBalance(string merchantId, Money amount, Money fee)
    {
        if (!amount.IsPositive || fee.IsNegative || fee.Currency != amount.Currency)
        {
            throw new ArgumentException($"A cashout to the balance needs a positive amount ({amount}) and a non-negative fee in its currency ({fee}).");
        }

        var debit = amount + fee;
        return new(LedgerTransactionKind.CashoutToBalance, $"Cashout of {amount} to the balance, fee {fee}", NonZero(
            new LedgerEntry(LedgerAccountKey.MerchantPending(merchantId, amount.Currency), -debit.MinorUnits),
            new LedgerEntry(LedgerAccountKey.MerchantAvailable(merchantId, amount.Currency), amount.MinorUnits),
            new LedgerEntry(LedgerAccountKey.PlatformFeeRevenue(amount.Currency), fee.MinorUnits)));
    }

    private static LedgerEntry[] ReleaseReservation(string merchantId, Money debit) => Move(
        debit,
        from: LedgerAccountKey.MerchantReserved(merchantId, debit.Currency),
        to: LedgerAccountKey.MerchantAvailable(merchantId, debit.Currency));

    private static LedgerEntry[] Move(Money amount, LedgerAccountKey from, LedgerAccountKey to)
    {
        if (!amount.IsPositive)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A ledger movement must be positive.");
        }

        return [new LedgerEntry(from, -amount.MinorUnits), new LedgerEntry(to, amount.MinorUnits)];
    }

    private static IEnumerable<LedgerEntry> NonZero(params LedgerEntry[] entries) => entries.Where(entry => entry.Amount != 0);
}

/// <summary>How a cashout's debit splits into what the payee gets and what the platform keeps.</summary>
public sealed record CashoutSettlement
{
    public CashoutSettlement(Money debit, Money payout, Money fee)
    {
        if (payout + fee != debit || payout.IsNegative || fee.IsNegative || !debit.IsPositive)
        {
            throw new ArgumentException($"A cashout's debit ({debit}) must equal payout ({payout}) + fee ({fee}), none negative.");
        }

        Debit = debit;
        Payout = payout;
        Fee = fee;
    }

    public Money Debit { get; }

    public Money Payout { get; }

    public Money Fee { get; }

    public Currency Currency => Debit.Currency;
}
