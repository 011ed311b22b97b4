using BenchmarkDotNet.Attributes;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Ledger;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// One operation is one accepted <see cref="RequestCashout"/> of 100.00 USD by a verified merchant with a
/// linked Payoneer method and 1,000.00 available, exactly as a page or API call runs it: a context from the
/// factory, BEGIN IMMEDIATE, the reads behind the rules (verification, methods, awaiting cashout, cooldown,
/// available balance), the rules, the cashout insert, the reservation posting (accounts, conditional balance
/// updates, transaction and entries), the timeline events and the outbox email, and the commit.
/// Each call uses a fresh merchant, since a second request would be declined by the pending-cashout rule.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkJobs.Counted))]
public class RequestCashoutBenchmarks
{
    private static readonly Money Funds = Money.Of(100_000, Currency.USD);

    private BenchmarkPortal portal = null!;
    private RequestCashout requestCashout = null!;
    private string[] merchants = [];
    private int next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        portal = await BenchmarkPortal.StartAsync();
        merchants = await BenchmarkMerchants.CreateAsync(portal, "cashout-merchant", BenchmarkJobs.Counted.Operations, Funds);
        await portal.CheckpointAsync();
        requestCashout = portal.Get<RequestCashout>();
    }

    [Benchmark(Description = "RequestCashout (accepted)")]
    public async Task<long> RequestCashout()
    {
        if (next == merchants.Length)
        {
            throw new InvalidOperationException($"All {merchants.Length} prepared merchants have cashed out; raise BenchmarkJobs.Counted.Operations.");
        }

        var merchantId = merchants[next++];
        var outcome = await requestCashout.HandleAsync(
            Caller.Merchant(merchantId),
            new RequestCashoutCommand(merchantId, PayoutMethod.Payoneer, 10_000, Currency.USD));
        // Only accepted requests count: a decline is a shorter path and would flatter the figure.
        return outcome is { Status: CommandStatus.Succeeded, Cashout: { } cashout }
            ? cashout.Id
            : throw new InvalidOperationException($"The request of {merchantId} was not accepted: {outcome.Status} {outcome.Decline?.Message}");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        // The books must still balance after a few thousand cashouts, or the figure above means nothing.
        var violations = await portal.Get<LedgerVerifier>().VerifyAsync();
        Console.WriteLine($"// LedgerVerifier after {next} cashouts: {violations.Count} violation(s)");
        await portal.DisposeAsync();
        if (violations.Count > 0)
        {
            throw new InvalidOperationException("The ledger is inconsistent: " + string.Join("; ", violations));
        }
    }
}
