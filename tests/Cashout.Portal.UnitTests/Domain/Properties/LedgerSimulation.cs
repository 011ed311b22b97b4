using Cashout.Domain;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.UnitTests.Domain.Support;

namespace Cashout.Portal.UnitTests.Domain.Properties;

/// <summary>
/// Plays operations against the real domain (rules, cashout transitions, postings) and the in-memory
/// ledger, the way the host does, and checks every money invariant after every step. Any broken
/// invariant, or a posting the ledger must refuse because the domain allowed an overdraft, throws
/// with the step number, the operation and the violations.
/// </summary>
internal sealed class LedgerSimulation
{
    public static readonly string[] Merchants = ["merchant-a", "merchant-b", "merchant-c"];

    public static readonly TimeSpan ReversalWindow = TimeSpan.FromDays(3);

    // Each merchant links a different set of methods, so "not linked" declines happen too.
    private static readonly Dictionary<string, QuoteOption[]> LinkedMethods = new()
    {
        ["merchant-a"] = [new(PayoutMethod.Payoneer), new(PayoutMethod.Tipalti), new(PayoutMethod.Bank, InstantRoute: true)],
        ["merchant-b"] = [new(PayoutMethod.Payoneer), new(PayoutMethod.Bank)],
        ["merchant-c"] = [new(PayoutMethod.Tipalti)],
    };

    private readonly FixedClock clock = new(Sample.Friday);
    private readonly CashoutRequestRules rules;
    private readonly InMemoryLedger ledger = new();
    private readonly List<MerchantCashout> cashouts = [];
    private readonly Dictionary<(string Merchant, Currency Currency), long> funded = [];
    private readonly SimulationStatistics statistics;
    private int step;

    public LedgerSimulation(SimulationStatistics statistics)
    {
        this.statistics = statistics;
        rules = new CashoutRequestRules(new QuoteCalculator(FeeSchedule.Default, clock));
    }

    private DateTimeOffset Now => clock.Now;

    public void Run(IEnumerable<LedgerOperation> operations)
    {
        foreach (var operation in operations)
        {
            step++;
            Apply(operation);
            var violations = ledger.CheckInvariants(cashouts.Select(cashout => cashout.ToReservationFact()));
            if (violations.Count > 0)
            {
                ThrowViolation(operation, string.Join(Environment.NewLine, violations));
            }

            CheckMerchantsKeepWhatTheyWereNotPaid(operation);
        }
    }

    private void Apply(LedgerOperation operation)
    {
        switch (operation)
        {
            case Fund fund:
                ApplyFund(fund);
                break;
            case Settle settle:
                ApplySettle(settle);
                break;
            case RequestCashout request:
                ApplyRequest(request);
                break;
            case AdvanceTime advance:
                clock.Now = Now.AddMinutes(advance.Minutes);
                break;
            default:
                ApplyTransition(operation);
                break;
        }
    }

    private void ApplyFund(Fund fund)
    {
        var merchant = Merchants[fund.MerchantIndex];
        var amount = new Money(fund.Amount, Currency.All[fund.CurrencyIndex]);
        Post(fund, fund.ToPending ? LedgerPostings.FundToPending(merchant, amount) : LedgerPostings.FundToAvailable(merchant, amount));
        funded[(merchant, amount.Currency)] = funded.GetValueOrDefault((merchant, amount.Currency)) + amount.MinorUnits;
        statistics.Count(fund.ToPending ? "fund to pending" : "fund to available");
    }

    private void ApplySettle(Settle settle)
    {
        var merchant = Merchants[settle.MerchantIndex];
        var currency = Currency.All[settle.CurrencyIndex];
        var pending = ledger.BalanceOf(LedgerAccountKey.MerchantPending(merchant, currency));
        var amount = pending * settle.Percent / 100;
        if (amount > 0)
        {
            Post(settle, LedgerPostings.Settle(merchant, new Money(amount, currency)));
            statistics.Count("settle");
        }
    }

    private void ApplyRequest(RequestCashout request)
    {
        var merchant = Merchants[request.MerchantIndex];
        var currency = Currency.All[request.CurrencyIndex];
        var merchantCashouts = cashouts.Where(cashout => cashout.MerchantId == merchant).ToList();
        var snapshot = new CashoutRequestSnapshot(
            IsVerified: true,
            LinkedMethods[merchant],
            HasCashoutAwaitingSubmission: merchantCashouts.Any(cashout => cashout.Status.IsAwaitingSubmission()),
            LastCooldownRequestAt: merchantCashouts.Where(cashout => cashout.Status.StartsCooldown()).Select(cashout => (DateTimeOffset?)cashout.CreatedAt).Max(),
            AvailableBalance: new Money(ledger.BalanceOf(LedgerAccountKey.MerchantAvailable(merchant, currency)), currency),
            Now);

        var decision = rules.Evaluate(new CashoutRequest(request.Method, request.Amount, currency, request.Semantics), snapshot);
        if (decision.IsFailure)
        {
            statistics.Count($"declined: {decision.Error.Rule}");
            return;
        }

        var hold = request.OnHold ? new InitialHold(Actor.Merchant(merchant), "Created on hold") : null;
        var created = MerchantCashout.Create(merchant, decision.Value, "payee@example.com", Actor.Merchant(merchant), Now, initialHold: hold);
        if (created.IsFailure)
        {
            ThrowViolation(request, $"creating an accepted cashout was refused: {created.Error}");
        }

        Post(request, created.Value.Transition.Posting!);
        cashouts.Add(created.Value.Cashout);
        statistics.Count(request.OnHold ? "requested on hold" : "requested");
    }

    private void ApplyTransition(LedgerOperation operation)
    {
        var (pick, preferLive) = operation switch
        {
            Hold hold => (hold.Pick, hold.PreferLive),
            Release release => (release.Pick, release.PreferLive),
            Cancel cancel => (cancel.Pick, cancel.PreferLive),
            Submit submit => (submit.Pick, submit.PreferLive),
            Complete complete => (complete.Pick, complete.PreferLive),
            Fail fail => (fail.Pick, fail.PreferLive),
            Return @return => (@return.Pick, @return.PreferLive),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation."),
        };

        var cashout = PickCashout(pick, preferLive);
        if (cashout is null)
        {
            return;
        }

        var merchant = Actor.Merchant(cashout.MerchantId);
        var admin = Actor.Admin("admin");
        var provider = Actor.Provider(cashout.Method.ToApiName());
        var (statusBefore, versionBefore) = (cashout.Status, cashout.Version);

        var result = operation switch
        {
            Hold hold => cashout.Hold(hold.ByAdmin ? admin : merchant, "Random hold", Now),
            Release release => cashout.Release(release.ByAdmin ? admin : merchant, Now),
            Cancel cancel => cashout.Cancel(cancel.ByAdmin ? admin : merchant, "Random cancel", Now),
            Submit => cashout.Submit(Actor.System("submit-job"), $"PO-{step}", Now),
            Complete => cashout.Complete(provider, Now, ReversalWindow),
            Fail => cashout.Fail(provider, "808", "ERROR_OTHER", Now),
            Return => cashout.Return(provider, "R01", "Account closed", Now),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation."),
        };

        var name = operation.GetType().Name.ToLowerInvariant();
        if (result.IsFailure)
        {
            if (cashout.Status != statusBefore || cashout.Version != versionBefore)
            {
                ThrowViolation(operation, $"a refused transition changed the cashout: {statusBefore} v{versionBefore} -> {cashout.Status} v{cashout.Version}");
            }

            statistics.Count($"{name} refused");
            return;
        }

        if (result.Value.Posting is { } posting)
        {
            Post(operation, posting);
        }

        statistics.Count(name);
    }

    /// <summary>
    /// Beyond the ledger's own invariants: what a merchant holds (available + pending + reserved) must be
    /// exactly what was funded minus the debits of completed cashouts. Catches a balanced but wrong
    /// posting, e.g. a return that forgets to give the fee back.
    /// </summary>
    private void CheckMerchantsKeepWhatTheyWereNotPaid(LedgerOperation operation)
    {
        foreach (var merchant in Merchants)
        {
            foreach (var currency in Currency.All)
            {
                var held = ledger.BalanceOf(LedgerAccountKey.MerchantAvailable(merchant, currency))
                    + ledger.BalanceOf(LedgerAccountKey.MerchantPending(merchant, currency))
                    + ledger.BalanceOf(LedgerAccountKey.MerchantReserved(merchant, currency));
                var paidOut = cashouts
                    .Where(cashout => cashout.MerchantId == merchant && cashout.Currency == currency && cashout.Status == CashoutStatus.Completed)
                    .Sum(cashout => cashout.Debit.MinorUnits);
                var expected = funded.GetValueOrDefault((merchant, currency)) - paidOut;
                if (held != expected)
                {
                    ThrowViolation(operation, $"{merchant} holds {held} {currency} but was funded {funded.GetValueOrDefault((merchant, currency))} and paid {paidOut}");
                }
            }
        }
    }

    private MerchantCashout? PickCashout(int pick, bool preferLive)
    {
        var candidates = preferLive
            ? cashouts.Where(cashout => cashout.Status.HoldsReservation() || cashout.Status == CashoutStatus.Completed).ToList()
            : cashouts;
        return candidates.Count == 0 ? null : candidates[pick % candidates.Count];
    }

    private void Post(LedgerOperation operation, LedgerTransaction transaction)
    {
        var refusal = ledger.TryPost(transaction);
        if (refusal is not null)
        {
            // The domain produced a posting the ledger must refuse: the rules let an overdraft through.
            ThrowViolation(operation, $"the ledger refused a posting the domain allowed: {refusal}");
        }
    }

    private void ThrowViolation(LedgerOperation operation, string problem) =>
        throw new InvalidOperationException($"Step {step} ({operation}) at {Now:u}: {problem}");
}

/// <summary>How often each outcome happened across all runs, to prove the generator reaches every path.</summary>
internal sealed class SimulationStatistics
{
    private readonly Dictionary<string, int> counts = [];

    public int this[string outcome] => counts.GetValueOrDefault(outcome);

    public void Count(string outcome) => counts[outcome] = counts.GetValueOrDefault(outcome) + 1;

    public override string ToString() => string.Join(", ", counts.OrderBy(count => count.Key).Select(count => $"{count.Key}: {count.Value}"));
}
