using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Cashout.Portal.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (<see cref="LogProvider"/> is static), and <c>AddHangfire</c> points it
/// at the logger factory of whichever host resolved Hangfire last. In a process that holds several hosts one after
/// another (the integration tests run dozens in parallel), a host that stopped left its disposed factory behind, and
/// the next Hangfire component another host created asked it for a logger and threw ObjectDisposedException into
/// that host's job. This provider logs to the newest host still running; with one host per process (the portal) it
/// is that host's factory, as before.
/// </summary>
internal sealed class HangfireLogging : ILogProvider
{
    private static readonly HangfireLogging Instance = new();

    private readonly Lock gate = new();

    private readonly List<AspNetCoreLogProvider> running = [];

    /// <summary>Makes Hangfire log to this host's loggers until the host has stopped.</summary>
    public static void Use(IServiceProvider services, IGlobalConfiguration configuration)
    {
        var provider = new AspNetCoreLogProvider(services.GetRequiredService<ILoggerFactory>());
        lock (Instance.gate)
        {
            Instance.running.Add(provider);
        }

        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() =>
        {
            lock (Instance.gate)
            {
                Instance.running.Remove(provider);
            }
        });
        configuration.UseLogProvider(Instance);
    }

    /// <remarks>
    /// A host that failed to start (a test of a refused setting) never raises ApplicationStopped, so its disposed
    /// factory can still be listed: it is dropped here and the next newest asked.
    /// </remarks>
    public ILog GetLogger(string name)
    {
        while (true)
        {
            AspNetCoreLogProvider? newest;
            lock (gate)
            {
                newest = running.LastOrDefault();
            }

            if (newest is null)
            {
                return Silent.Logger;
            }

            try
            {
                return newest.GetLogger(name);
            }
            catch (ObjectDisposedException)
            {
                lock (gate)
                {
                    running.Remove(newest);
                }
            }
        }
    }

    /// <summary>What Hangfire logs while no host is running (between tests): nothing.</summary>
    private sealed class Silent : ILog
    {
        public static readonly Silent Logger = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
