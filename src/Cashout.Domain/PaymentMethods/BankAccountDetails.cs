using Cashout.Domain.Monetary;

namespace Cashout.Domain.PaymentMethods;

/// <summary>The bank account behind a bank transfer instrument. Either an IBAN or an account number.</summary>
public sealed record BankAccountDetails(string HolderName, string? Iban, string? AccountNumber, string Country, Currency Currency);
