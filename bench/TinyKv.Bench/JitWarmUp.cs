using System.Runtime;

namespace TinyKv.Bench;

/// <summary>
/// Runs a workload until the JIT has settled, before a timed phase. Tiered compilation promotes a
/// hot method only after a call-counting delay of about 100 ms and then recompiles it in the
/// background (tier 0, then instrumented, then optimized), on the same two cores: a phase timed
/// during it measures the compiler as much as the code (a third to half of all samples of both
/// processes in a profile of the network bench at load 8–13; a 1 µs point get timed in tier-0 code).
/// </summary>
internal static class JitWarmUp
{
    /// <summary>
    /// Runs <paramref name="round"/> until fewer than <paramref name="settledBelow"/> methods were
    /// compiled during one round in this process and, when <paramref name="childCompilations"/> is
    /// given (the child's count of compiled methods), in the child; at most
    /// <paramref name="maxRounds"/> rounds. A round should last well over the call-counting delay.
    /// </summary>
    public static async Task UntilSettledAsync(Func<Task> round, int settledBelow, int maxRounds, Func<Task<long>>? childCompilations = null, CancellationToken cancellationToken = default)
    {
        childCompilations ??= () => Task.FromResult(0L);
        long local = JitInfo.GetCompiledMethodCount();
        long child = await childCompilations();
        for (int i = 0; i < maxRounds && !cancellationToken.IsCancellationRequested; i++)
        {
            await round();
            long localNow = JitInfo.GetCompiledMethodCount();
            long childNow = await childCompilations();
            bool settled = localNow - local < settledBelow && childNow - child < settledBelow;
            (local, child) = (localNow, childNow);
            if (settled)
            {
                return;
            }
        }
    }
}
