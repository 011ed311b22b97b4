using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// Short jobs, so the whole suite runs in a few minutes on two cores (docs/performance.md).
/// In process: the benchmarks run inside this executable, on the runtime the app runs on, rather than in a child
/// project BenchmarkDotNet would generate, build and launch (slower to start on two shared cores).
/// </summary>
public static class BenchmarkJobs
{
    /// <summary>
    /// Fast, repeatable operations: the pilot stage picks how many calls make one iteration, and warm-up runs
    /// until the timings settle (in process, the first benchmark also pays for tiered JIT of EF Core's code).
    /// </summary>
    public sealed class Short : ManualConfig
    {
        public Short() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithIterationCount(10)
            .WithId("Short"));
    }

    /// <summary>
    /// Operations that use up prepared data (one fresh merchant per cashout): a fixed number of calls per
    /// iteration and no pilot, so the setup knows how many merchants to prepare (<see cref="Operations"/>).
    /// </summary>
    public sealed class Counted : ManualConfig
    {
        public const int InvocationsPerIteration = 200;
        public const int WarmupIterations = 2;
        public const int MeasuredIterations = 10;

        /// <summary>Jitting call plus warm-up and measured iterations, with a spare iteration.</summary>
        public const int Operations = 1 + ((WarmupIterations + MeasuredIterations + 1) * InvocationsPerIteration);

        public Counted() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(WarmupIterations)
            .WithIterationCount(MeasuredIterations)
            .WithInvocationCount(InvocationsPerIteration)
            .WithUnrollFactor(1)
            .WithId("Counted"));
    }
}
