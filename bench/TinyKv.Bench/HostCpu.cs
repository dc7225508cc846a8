using System.Globalization;

namespace TinyKv.Bench;

/// <summary>
/// The share of this machine's CPU time its hypervisor gave to other guests ("steal" in
/// <c>/proc/stat</c>) between two readings. On a shared virtual machine it is the load no other
/// figure shows: a run with a few percent stolen measures wake-ups and hand-offs that were late
/// for reasons outside the process, on both sides of a ratio but not always alike.
/// </summary>
internal readonly record struct HostCpu(long Steal, long Total)
{
    /// <summary>The counters now; null where there is no <c>/proc/stat</c> (not Linux).</summary>
    public static HostCpu? Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks.
        using var reader = new StreamReader("/proc/stat");
        var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is null || fields.Length < 9 || fields[0] != "cpu")
        {
            return null;
        }

        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return new HostCpu(ticks[7], ticks.Sum());
    }

    /// <summary>Percent of the CPU time since <paramref name="start"/> that was stolen.</summary>
    public double StolenPercentSince(HostCpu start) =>
        Total == start.Total ? 0 : 100.0 * (Steal - start.Steal) / (Total - start.Total);
}
