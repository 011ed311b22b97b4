using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cashout.Portal.Data;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// What one portal's SQLite writer queue records while this listener lives (other portals' meters are left out): each
/// turn's wait and hold, and the busy total, in ms, and how many commits the writers shared. The tests check them; the
/// creation benchmark reports them.
/// </summary>
public sealed class WriteTurns : IDisposable
{
    private readonly MeterListener listener = new();

    /// <param name="meters">The portal's own meter factory, which tells its meters from other portals' in the process.</param>
    public WriteTurns(IMeterFactory meters)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SqliteWriterQueue.MeterName && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, ms, _, _) => (instrument.Name switch
        {
            SqliteWriterQueue.HeldInstrument => Held,
            SqliteWriterQueue.WaitedInstrument => Waited,
            _ => Busy,
        }).Add(ms));
        listener.SetMeasurementEventCallback<long>((instrument, count, _, _) =>
        {
            if (instrument.Name == SqliteWriterQueue.CommitsInstrument)
            {
                Interlocked.Add(ref sharedCommits, count);
            }
        });
        listener.Start();
    }

    public ConcurrentBag<double> Held { get; } = [];

    public ConcurrentBag<double> Waited { get; } = [];

    public ConcurrentBag<double> Busy { get; } = [];

    private long sharedCommits;

    /// <summary>Commits of the writers' shared transaction.</summary>
    public long SharedCommits => Interlocked.Read(ref sharedCommits);

    public void Dispose() => listener.Dispose();
}
