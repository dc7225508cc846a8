using System.Diagnostics;

namespace TinyKv.Bench.Network;

/// <summary>
/// What calls cost regardless of machine load: CPU time of this process and of the silo child
/// process (when there is one), bytes allocated and thread-pool work items run in this process,
/// per call over one measured run. Work items count the thread hops a call costs the caller (continuations, pumps,
/// socket completions), which decide most of its CPU.
/// </summary>
internal sealed class CallCost
{
    private readonly Process? _child;
    private readonly TimeSpan _cpu;
    private readonly long _allocated;
    private readonly long _workItems;

    private CallCost(Process? child)
    {
        _child = child;
        _cpu = Cpu(child);
        _allocated = GC.GetTotalAllocatedBytes(precise: false);
        _workItems = ThreadPool.CompletedWorkItemCount;
    }

    public static CallCost Start(Process? child) => new(child);

    /// <summary>(µs of CPU in this process and the child, bytes allocated here, work items run here) per call.</summary>
    public (double CpuMicros, double AllocatedBytes, double WorkItems) Stop(long calls)
    {
        double n = Math.Max(calls, 1);
        double cpu = (Cpu(_child) - _cpu).TotalMicroseconds / n;
        double bytes = (GC.GetTotalAllocatedBytes(precise: false) - _allocated) / n;
        double workItems = (ThreadPool.CompletedWorkItemCount - _workItems) / n;
        return (cpu, bytes, workItems);
    }

    private static TimeSpan Cpu(Process? child)
    {
        if (child is null)
        {
            return Process.GetCurrentProcess().TotalProcessorTime;
        }

        child.Refresh();
        return Process.GetCurrentProcess().TotalProcessorTime + child.TotalProcessorTime;
    }
}
