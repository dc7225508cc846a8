using System.Diagnostics;

namespace TinyKv.Bench.Network;

/// <summary>
/// What calls cost regardless of machine load: CPU time of this process and of the silo child
/// process, and bytes allocated in this process, per call over one measured run.
/// </summary>
internal sealed class CallCost
{
    private readonly Process _child;
    private readonly TimeSpan _cpu;
    private readonly long _allocated;

    private CallCost(Process child)
    {
        _child = child;
        _cpu = Cpu(child);
        _allocated = GC.GetTotalAllocatedBytes(precise: false);
    }

    public static CallCost Start(Process child) => new(child);

    /// <summary>(µs of CPU in both processes, bytes allocated here) per call.</summary>
    public (double CpuMicros, double AllocatedBytes) Stop(long calls)
    {
        double cpu = (Cpu(_child) - _cpu).TotalMicroseconds / Math.Max(calls, 1);
        double bytes = (GC.GetTotalAllocatedBytes(precise: false) - _allocated) / (double)Math.Max(calls, 1);
        return (cpu, bytes);
    }

    private static TimeSpan Cpu(Process child)
    {
        child.Refresh();
        return Process.GetCurrentProcess().TotalProcessorTime + child.TotalProcessorTime;
    }
}
