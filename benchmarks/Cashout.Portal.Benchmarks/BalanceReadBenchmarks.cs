using BenchmarkDotNet.Attributes;
using Cashout.Portal.Balances;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// DESIGN.md section 2: balances are running totals, so reading them costs the same whatever the history.
/// <see cref="GetBalances"/> is the use case the dashboard and the APIs call; <see cref="SumOfEntries"/> is
/// what the read would cost without running totals, for contrast.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkJobs.Short))]
public class BalanceReadBenchmarks
{
    private const string MerchantId = "measured-merchant";
    private static readonly Caller Merchant = Caller.Merchant(MerchantId);

    private BenchmarkPortal portal = null!;
    private GetBalances getBalances = null!;
    private IDbContextFactory<PortalDbContext> dbFactory = null!;

    /// <summary>Entries in the whole ledger; a tenth of them are the measured merchant's.</summary>
    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int LedgerEntries { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        portal = await BenchmarkPortal.StartAsync();
        await LedgerFill.FillAsync(portal.DatabasePath, MerchantId, LedgerEntries);
        await portal.CheckpointAsync();
        getBalances = portal.Get<GetBalances>();
        dbFactory = portal.Get<IDbContextFactory<PortalDbContext>>();

        // Both ways of reading must agree before either is timed.
        var balance = (await GetBalances()).Single();
        var fromEntries = await SumOfEntries();
        if (!balance.Available.IsPositive || balance.Available.MinorUnits + balance.Pending.MinorUnits != fromEntries)
        {
            throw new InvalidOperationException($"Running totals {balance} disagree with the entries' sum {fromEntries}.");
        }

        // Benchmarks run in process: get EF Core's query pipeline through tiered JIT before the pilot stage sizes
        // the iterations, or the first ledger size measured would also pay for compiling it.
        for (var i = 0; i < 2_000; i++)
        {
            await GetBalances();
        }
    }

    [Benchmark(Description = "GetBalances (running totals)")]
    public Task<IReadOnlyList<MerchantBalance>> GetBalances() => getBalances.HandleAsync(Merchant, MerchantId);

    [Benchmark(Description = "Sum of the merchant's entries (no running totals)")]
    public async Task<long> SumOfEntries()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.LedgerEntries
            .Where(e => db.LedgerAccounts.Any(a => a.Id == e.AccountId && a.MerchantId == MerchantId))
            .SumAsync(e => e.Amount);
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => portal.DisposeAsync();
}
