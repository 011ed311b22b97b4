using System.Diagnostics.Metrics;
using Cashout.Portal.Data;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// The SQLite file's write turns (SqliteWriterQueue's measurements) of one portal in this process while measuring:
/// how many there were, how long they were held in total (the one writer's busy time) and waited for.
/// </summary>
public sealed class WriteTurns : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly Lock sums = new();
    private double heldMs;
    private double waitedMs;

    public WriteTurns(IMeterFactory meters)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SqliteWriterQueue.MeterName && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, ms, _, _) =>
        {
            lock (sums)
            {
                switch (instrument.Name)
                {
                    case SqliteWriterQueue.HeldInstrument:
                        Count++;
                        heldMs += ms;
                        break;
                    case SqliteWriterQueue.WaitedInstrument:
                        waitedMs += ms;
                        break;
                }
            }
        });
        listener.Start();
    }

    public int Count { get; private set; }

    public TimeSpan Held => TimeSpan.FromMilliseconds(heldMs);

    public TimeSpan Waited => TimeSpan.FromMilliseconds(waitedMs);

    public void Dispose() => listener.Dispose();
}
