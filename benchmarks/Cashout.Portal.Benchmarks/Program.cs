using BenchmarkDotNet.Running;
using Cashout.Portal.Benchmarks;

// dotnet run -c Release --project benchmarks/Cashout.Portal.Benchmarks -- --filter '*'   (docs/performance.md)
if (args is ["--interleaved"])
{
    await BalanceReadInterleaved.RunAsync();
    return;
}

if (args is ["--outbox"])
{
    await OutboxThroughput.RunAsync();
    return;
}

if (args is ["--pipeline", var count, .. var rest] && int.TryParse(count, out var cashouts) && cashouts > 0)
{
    // -- --pipeline N [NODES [WARM-UP]]: NODES portal processes on the database (PostgreSQL: CASHOUT_BENCH_POSTGRES),
    // WARM-UP cashouts through the pipeline before the N measured (none unless given)
    await PipelineThroughput.RunAsync(
        cashouts,
        rest is [var n, ..] && int.TryParse(n, out var nodes) && nodes > 0 ? nodes : 1,
        rest is [_, var w] && int.TryParse(w, out var warmUp) && warmUp >= 0 ? warmUp : 0);
    return;
}

if (args is ["--creation", var workers] && int.TryParse(workers, out var clients) && clients > 0)
{
    await CreationThroughput.RunAsync(clients);
    return;
}

if (args is ["--creation-floor"])
{
    await CreationFloor.RunAsync();
    return;
}

if (args is ["--circuits", var open] && int.TryParse(open, out var circuits) && circuits > 0)
{
    await CircuitMemory.RunAsync(circuits);
    return;
}

if (args is ["--pages"])
{
    await PageRenderTimes.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkPortal).Assembly).Run(args);
