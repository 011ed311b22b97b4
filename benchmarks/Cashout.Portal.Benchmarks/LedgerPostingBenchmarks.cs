using BenchmarkDotNet.Attributes;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Ledger;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// The ledger part of a cashout request alone: one reservation of 0.01 USD (available to reserved) posted by
/// <see cref="LedgerWriter.PostAsync"/> in its own BEGIN IMMEDIATE transaction, saved and committed. The same
/// merchant every time, with funds for far more calls than a run makes. (The reservations have no cashout
/// behind them: this database exists for the benchmark only.)
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkJobs.Short))]
public class LedgerPostingBenchmarks
{
    private BenchmarkPortal portal = null!;
    private LedgerWriter ledger = null!;
    private LedgerTransaction reservation = null!;
    private string merchantId = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        portal = await BenchmarkPortal.StartAsync();
        merchantId = (await BenchmarkMerchants.CreateAsync(portal, "posting-merchant", 1, Money.Of(100_000_000, Currency.USD))).Single();
        ledger = portal.Get<LedgerWriter>();
        reservation = LedgerPostings.ReserveForCashout(merchantId, Money.Of(1, Currency.USD));
    }

    [Benchmark(Description = "LedgerWriter.PostAsync reservation + commit")]
    public async Task PostReservation()
    {
        await using var db = portal.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await ledger.PostAsync(db, reservation, merchantId, cashoutId: null, CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => portal.DisposeAsync();
}
