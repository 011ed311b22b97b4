using Quartz;
using Quartz.Spi;

namespace Cashout.Portal.Jobs;

/// <summary>
/// Quartz's DI packages are not on this registry (docs/decisions/003-quartz-for-hangfire.md): this factory is
/// the glue. Each firing gets its own DI scope, so a job gets fresh DbContexts and scoped services.
/// </summary>
internal sealed class ScopedJobFactory(IServiceScopeFactory scopeFactory) : IJobFactory
{
    public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) => new ScopedJob(scopeFactory, bundle.JobDetail.JobType);

    public void ReturnJob(IJob job)
    {
    }

    private sealed class ScopedJob(IServiceScopeFactory scopeFactory, Type jobType) : IJob
    {
        public async Task Execute(IJobExecutionContext context)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var job = (IJob)ActivatorUtilities.CreateInstance(scope.ServiceProvider, jobType);
            await job.Execute(context);
        }
    }
}
