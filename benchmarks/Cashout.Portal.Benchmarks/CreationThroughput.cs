using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Ledger;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// Cashout creation with several clients at once (DESIGN.md section 7: at least a quarter of the database's raw commit
/// rate): <c>clients</c> workers request cashouts of prepared merchants (one each, all accepted) through the real
/// RequestCashout use case for a fixed time, on the configured engine, and the engine's own ceiling with the same
/// clients in the same run: pgbench's TPC-B-like transactions on PostgreSQL, one-row commits on SQLite. Then the ledger
/// verifier. Run with <c>-- --creation CLIENTS</c> (CASHOUT_BENCH_POSTGRES for PostgreSQL; docs/performance.md).
/// </summary>
public static class CreationThroughput
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);
    private const int Merchants = 45_000;
    private const int WarmUpAtMost = 12_000; // so the measured run has merchants left however fast creation is
    private static readonly Money Funds = Money.Of(100_000, Currency.USD);

    public static async Task RunAsync(int clients)
    {
        await using var portal = await BenchmarkPortal.StartAsync();
        var merchants = new ConcurrentQueue<string>(await BenchmarkMerchants.CreateAsync(portal, "creation", Merchants, Funds));
        await portal.CheckpointAsync();
        var requestCashout = portal.Get<RequestCashout>();

        // Unmeasured first: until the JIT has compiled the hot paths at their final tier (several seconds of its
        // background thread), the measured run would count compilation, which a portal that has run for a while never does.
        await RequestForAsync(requestCashout, new ConcurrentQueue<string>(Take(merchants, WarmUpAtMost)), clients, WarmUp, new ConcurrentBag<double>());
        var latencies = new ConcurrentBag<double>();
        var turns = portal.Engine.StartsWith("SQLite", StringComparison.Ordinal) ? new WriteTurns(portal.Get<IMeterFactory>()) : null;
        var watch = Stopwatch.StartNew();
        // For a profiler's time window (perf's timestamps are the same monotonic clock on Linux).
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measured run starts at {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:F3} s (monotonic)"));
        await RequestForAsync(requestCashout, merchants, clients, Duration, latencies);
        var elapsed = watch.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measured run ends at {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:F3} s (monotonic)"));
        turns?.Dispose();
        var created = latencies.Count;
        var violations = await portal.Get<LedgerVerifier>().VerifyAsync();

        var (ceiling, ceilingName) = BenchmarkPortal.PostgreSqlServer is { } server
            ? (await Pgbench.TransactionsPerSecondAsync(server, clients, Duration), $"pgbench TPC-B-like, {clients} clients, scale 1, same server")
            : (RawSqliteCommits.PerSecond(TimeSpan.FromSeconds(5)), "raw SQLite one-row commits (WAL, FULL), one writer, same disk");
        var sorted = latencies.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Cashout creation on {portal.Engine}, {clients} clients, {Environment.ProcessorCount} cores, {elapsed:F0} s:
            | | per second | p50 ms | p99 ms |
            |---|---:|---:|---:|
            | RequestCashout, accepted | {created / elapsed:F0} | {sorted[sorted.Count / 2]:F1} | {sorted[(int)(sorted.Count * 0.99)]:F1} |
            | ceiling: {ceilingName} | {ceiling:F0} | | |
            Creation over the ceiling: {created / elapsed / ceiling:F2}. LedgerVerifier after {created:N0} cashouts: {violations.Count} violation(s).
            """));
        if (turns is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SQLite write turns: {turns.Held.Count:N0}, held {turns.Held.Average():F2} ms each ({turns.Held.Sum() / 1000 / elapsed:P0} of the time), waited for {turns.Waited.Average():F2} ms each; {turns.SharedCommits:N0} commits ({turns.Held.Count / (double)Math.Max(1, turns.SharedCommits):F1} turns each)."));
        }
        if (violations.Count > 0)
        {
            throw new InvalidOperationException("The ledger is inconsistent: " + string.Join("; ", violations));
        }
    }

    private static IEnumerable<string> Take(ConcurrentQueue<string> merchants, int count)
    {
        for (var i = 0; i < count && merchants.TryDequeue(out var merchantId); i++)
        {
            yield return merchantId;
        }
    }

    /// <summary><paramref name="clients"/> workers request one accepted cashout per merchant for <paramref name="duration"/>.</summary>
    private static Task RequestForAsync(RequestCashout requestCashout, ConcurrentQueue<string> merchants, int clients, TimeSpan duration, ConcurrentBag<double> latencies)
    {
        var watch = Stopwatch.StartNew();
        return Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration && merchants.TryDequeue(out var merchantId))
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = await requestCashout.HandleAsync(Caller.Merchant(merchantId), new RequestCashoutCommand(merchantId, PayoutMethod.Payoneer, 10_000, Currency.USD));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (outcome.Status != CommandStatus.Succeeded)
                {
                    throw new InvalidOperationException($"The request of {merchantId} was not accepted: {outcome.Status} {outcome.Decline?.Message}");
                }
            }
        })));
    }
}
