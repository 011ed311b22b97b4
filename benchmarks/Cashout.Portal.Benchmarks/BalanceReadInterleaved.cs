using System.Diagnostics;
using System.Globalization;
using Cashout.Portal.Balances;
using Cashout.Portal.Common;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// A cross-check of <see cref="BalanceReadBenchmarks"/> that is robust to a busy machine: BenchmarkDotNet measures
/// the ledger sizes one after the other, so load from other processes can land on one size and not another. This
/// prepares all four ledgers first and then times them in turns (rounds of 300 reads each), so every size sees the
/// same load. Run with <c>-- --interleaved</c> (docs/performance.md).
/// </summary>
public static class BalanceReadInterleaved
{
    private const string MerchantId = "measured-merchant";
    private const int Rounds = 40;
    private const int WarmupRounds = 10;
    private const int ReadsPerRound = 300;

    public static async Task RunAsync()
    {
        int[] sizes = [1_000, 10_000, 100_000, 1_000_000];
        var ledgers = new List<(int Size, BenchmarkPortal Portal, GetBalances Read)>();
        foreach (var size in sizes)
        {
            var portal = await BenchmarkPortal.StartAsync();
            await LedgerFill.FillAsync(portal.DatabasePath, MerchantId, size);
            await portal.CheckpointAsync();
            ledgers.Add((size, portal, portal.Get<GetBalances>()));
        }

        var caller = Caller.Merchant(MerchantId);
        var samples = sizes.ToDictionary(size => size, _ => new List<double>());
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (size, _, read) in ledgers)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < ReadsPerRound; i++)
                {
                    await read.HandleAsync(caller, MerchantId);
                }

                if (round >= WarmupRounds)
                {
                    samples[size].Add(watch.Elapsed.TotalMicroseconds / ReadsPerRound);
                }
            }
        }

        Console.WriteLine($"GetBalances, {Rounds - WarmupRounds} rounds of {ReadsPerRound} reads per ledger size, sizes in turn:");
        Console.WriteLine("| Ledger entries | Min (us) | Median (us) | Mean (us) |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var (size, list) in samples)
        {
            list.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {size:N0} | {list[0]:F1} | {list[list.Count / 2]:F1} | {list.Average():F1} |"));
        }

        foreach (var (_, portal, _) in ledgers)
        {
            await portal.DisposeAsync();
        }
    }
}
