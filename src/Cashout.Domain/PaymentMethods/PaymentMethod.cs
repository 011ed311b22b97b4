using Cashout.Domain.Fees;

namespace Cashout.Domain.PaymentMethods;

/// <summary>
/// A payout method a merchant linked: a Payoneer or Tipalti payee, or a bank account. Linking checks the
/// details; unlinking is refused while a cashout uses the method.
/// </summary>
public sealed class PaymentMethod
{
    public const string NotLinkedCode = "payment_method_not_linked";
    public const string CashoutInFlightCode = "cashout_in_flight";

    /// <summary>How long a new link shows a notice (the cooling-off period's default).</summary>
    public static readonly TimeSpan DefaultCoolingOff = TimeSpan.FromHours(24);

    // For materialisation by the persistence layer; domain code uses the Link methods.
    private PaymentMethod()
    {
        MerchantId = string.Empty;
    }

    private PaymentMethod(string merchantId, PayoutMethod method, DateTimeOffset linkedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantId);
        MerchantId = merchantId;
        Method = method;
        LinkedAt = linkedAt;
    }

    /// <summary>Assigned by storage.</summary>
    public long Id { get; private set; }

    public string MerchantId { get; private set; }

    public PayoutMethod Method { get; private set; }

    public string? PayeeEmail { get; private set; }

    public string? PayeeId { get; private set; }

    public BankAccountDetails? BankAccount { get; private set; }

    /// <summary>The bank transfer instrument's reference id, e.g. "SE0000000000000000000001".</summary>
    public string? TransferInstrumentId { get; private set; }

    /// <summary>Whether the provider's route check found an instant route (bank only).</summary>
    public bool SupportsInstant { get; private set; }

    public DateTimeOffset LinkedAt { get; private set; }

    public DateTimeOffset? UnlinkedAt { get; private set; }

    public bool IsLinked => UnlinkedAt is null;

    /// <summary>Where cashouts with this method are paid: the payee email or id, or the transfer instrument.</summary>
    public string PayeeReference => TransferInstrumentId ?? PayeeEmail ?? PayeeId ?? string.Empty;

    /// <summary>
    /// Where cashouts with this method are paid, as its owner recognises it: the holder and the account's last four
    /// digits for a bank account ("Jane Doe ···0001"; the transfer instrument id means nothing to a person, and the
    /// full number stays in the database), else the payee email or id.
    /// </summary>
    public string Destination => BankAccount is { } bank && (bank.Iban ?? bank.AccountNumber) is { } account
        ? $"{bank.HolderName} ···{(account.Length <= 4 ? account : account[^4..])}"
        : PayeeReference;

    /// <summary>Payoneer: a payee email is required, a payee id is optional.</summary>
    public static Result<PaymentMethod, PaymentMethodInvalid> LinkPayoneer(string merchantId, string? payeeEmail, string? payeeId, DateTimeOffset now)
    {
        var problems = new List<FieldProblem>();
        var email = Clean(payeeEmail);
        var id = Clean(payeeId);
        if (email is null)
        {
            problems.Add(new FieldProblem("payeeEmail", "Payee email is required for Payoneer."));
        }

        CheckPayee(email, id, problems);
        return problems.Count > 0
            ? new PaymentMethodInvalid(problems)
            : new PaymentMethod(merchantId, PayoutMethod.Payoneer, now) { PayeeEmail = email, PayeeId = id };
    }

    /// <summary>Tipalti: a payee email or a payee id (or both).</summary>
    public static Result<PaymentMethod, PaymentMethodInvalid> LinkTipalti(string merchantId, string? payeeEmail, string? payeeId, DateTimeOffset now)
    {
        var problems = new List<FieldProblem>();
        var email = Clean(payeeEmail);
        var id = Clean(payeeId);
        if (email is null && id is null)
        {
            problems.Add(new FieldProblem("payeeEmail", "Tipalti needs a payee email or a payee id."));
        }

        CheckPayee(email, id, problems);
        return problems.Count > 0
            ? new PaymentMethodInvalid(problems)
            : new PaymentMethod(merchantId, PayoutMethod.Tipalti, now) { PayeeEmail = email, PayeeId = id };
    }

    /// <summary>
    /// Bank: holder name, an IBAN or an account number, country and currency. The host assigns the
    /// reference id (<see cref="TransferInstrumentReference.Create"/>) and asks the provider for an instant route.
    /// </summary>
    public static Result<PaymentMethod, PaymentMethodInvalid> LinkBank(
        string merchantId,
        BankAccountDetails details,
        string transferInstrumentId,
        bool supportsInstant,
        DateTimeOffset now)
    {
        var problems = new List<FieldProblem>();
        var holderName = Clean(details.HolderName);
        var iban = Clean(details.Iban) is { } rawIban ? PayeeDetails.NormaliseAccountIdentifier(rawIban) : null;
        var accountNumber = Clean(details.AccountNumber) is { } rawNumber ? PayeeDetails.NormaliseAccountIdentifier(rawNumber) : null;
        var country = Clean(details.Country)?.ToUpperInvariant();

        if (holderName is null)
        {
            problems.Add(new FieldProblem("holderName", "Account holder name is required."));
        }

        if (iban is null && accountNumber is null)
        {
            problems.Add(new FieldProblem("iban", "Give an IBAN or an account number."));
        }

        if (iban is not null && !PayeeDetails.IsValidIban(iban))
        {
            problems.Add(new FieldProblem("iban", "The IBAN is not valid: check the country code, check digits and length."));
        }

        if (accountNumber is not null && !PayeeDetails.IsValidAccountNumber(accountNumber))
        {
            problems.Add(new FieldProblem("accountNumber", "The account number must be 4 to 34 letters or digits."));
        }

        if (country is null || !PayeeDetails.IsCountryCode(country))
        {
            problems.Add(new FieldProblem("country", "Country must be a two-letter ISO code, like NL or US."));
        }

        if (!TransferInstrumentReference.IsValid(transferInstrumentId))
        {
            problems.Add(new FieldProblem("transferInstrumentId", "The transfer instrument reference must be a country code and 22 digits."));
        }

        if (problems.Count > 0)
        {
            return new PaymentMethodInvalid(problems);
        }

        return new PaymentMethod(merchantId, PayoutMethod.Bank, now)
        {
            BankAccount = details with { HolderName = holderName!, Iban = iban, AccountNumber = accountNumber, Country = country! },
            TransferInstrumentId = transferInstrumentId,
            SupportsInstant = supportsInstant,
        };
    }

    /// <summary>
    /// Unlinks the method, unless a cashout using it is in flight (Pending, OnHold or Processing):
    /// the payout must still be able to reach its destination.
    /// </summary>
    public Result<PaymentMethod, DomainError> Unlink(bool hasCashoutInFlight, DateTimeOffset now)
    {
        if (!IsLinked)
        {
            return new DomainError(NotLinkedCode, "Payment method not linked");
        }

        if (hasCashoutInFlight)
        {
            return new DomainError(CashoutInFlightCode, $"The {Method.ToApiName()} method cannot be unlinked while a cashout using it is in flight.");
        }

        UnlinkedAt = now;
        return this;
    }

    /// <summary>The latest answer of the provider's route check.</summary>
    public void RecordInstantRouteCheck(bool supportsInstant) => SupportsInstant = Method == PayoutMethod.Bank && supportsInstant;

    /// <summary>A method linked less than <paramref name="coolingOff"/> ago gets a notice in the UI.</summary>
    public bool IsNewlyLinked(DateTimeOffset now, TimeSpan coolingOff) => IsLinked && now - LinkedAt < coolingOff;

    public QuoteOption ToQuoteOption() => new(Method, SupportsInstant);

    private static void CheckPayee(string? email, string? payeeId, List<FieldProblem> problems)
    {
        if (email is not null && !PayeeDetails.IsPlausibleEmail(email))
        {
            problems.Add(new FieldProblem("payeeEmail", "Payee email is not a valid email address."));
        }

        if (payeeId is not null && !PayeeDetails.IsValidPayeeId(payeeId))
        {
            problems.Add(new FieldProblem("payeeId", $"Payee id may contain only letters, digits, '-' and '_', at most {PayeeDetails.MaxPayeeIdLength} characters."));
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
