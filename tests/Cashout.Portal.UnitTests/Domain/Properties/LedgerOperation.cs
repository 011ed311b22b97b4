using Cashout.Domain.Fees;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.UnitTests.Domain.Properties;

/// <summary>
/// One random step of the simulation. Cashout steps carry a pick number, resolved against the cashouts
/// that exist when the step runs; <c>PreferLive</c> steers most picks to cashouts not yet final, so
/// allowed transitions are common while refused ones still happen.
/// </summary>
public abstract record LedgerOperation;

public sealed record Fund(int MerchantIndex, int CurrencyIndex, long Amount, bool ToPending) : LedgerOperation;

public sealed record Settle(int MerchantIndex, int CurrencyIndex, int Percent) : LedgerOperation;

public sealed record RequestCashout(int MerchantIndex, int CurrencyIndex, PayoutMethod Method, long Amount, FeeSemantics Semantics, bool OnHold) : LedgerOperation;

public sealed record Hold(int Pick, bool PreferLive, bool ByAdmin) : LedgerOperation;

public sealed record Release(int Pick, bool PreferLive, bool ByAdmin) : LedgerOperation;

public sealed record Cancel(int Pick, bool PreferLive, bool ByAdmin) : LedgerOperation;

public sealed record Submit(int Pick, bool PreferLive) : LedgerOperation;

public sealed record Complete(int Pick, bool PreferLive) : LedgerOperation;

public sealed record Fail(int Pick, bool PreferLive) : LedgerOperation;

public sealed record Return(int Pick, bool PreferLive) : LedgerOperation;

public sealed record AdvanceTime(int Minutes) : LedgerOperation;
