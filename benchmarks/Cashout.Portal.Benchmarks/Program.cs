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

if (args is ["--pipeline", var count] && int.TryParse(count, out var cashouts) && cashouts > 0)
{
    await PipelineThroughput.RunAsync(cashouts);
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
