using System.Globalization;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// How busy this machine's cores were (every process), from the kernel's counters in <c>/proc/stat</c>: the share of
/// the cores' time spent working between two readings (user, nice, system, interrupts; not idle, not waiting for the disk).
/// </summary>
public readonly record struct MachineCpu(long Work, long Total)
{
    public static MachineCpu Read()
    {
        // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks; guest time is inside user.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Take(8).Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        return new MachineCpu(ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6], ticks.Sum());
    }

    public double WorkSince(MachineCpu start) => Total == start.Total ? 0 : (double)(Work - start.Work) / (Total - start.Total);
}
