using System.Diagnostics;

namespace TinyKv.Bench.Network;

/// <summary>N concurrent loops of awaited calls for a duration (after a warm-up): calls/s and latency percentiles.</summary>
internal static class CallLoops
{
    /// <param name="child">When given, CPU time (this process and <paramref name="child"/>) and bytes allocated here are measured over the timed run, not the warm-up, whose JIT tiering is a one-off cost.</param>
    /// <param name="childWorkItems">When given with <paramref name="child"/>, reads the thread-pool work items the child has run, counted over the timed run too.</param>
    /// <param name="costs">Measures CPU, allocation and work items of this process alone when no <paramref name="child"/> is given (the raw baseline).</param>
    public static async Task<LoopResult> MeasureAsync(Func<int, Task> call, int loops, TimeSpan duration, CancellationToken cancellationToken, Process? child = null, Func<Task<long>>? childWorkItems = null, bool costs = false)
    {
        await RunAsync(call, loops, duration / 5, null, cancellationToken);
        var samples = new List<long>[loops];
        for (int i = 0; i < loops; i++)
        {
            samples[i] = new List<long>(1 << 16);
        }

        long childItems = childWorkItems is null ? 0 : await childWorkItems();
        var cost = child is null && !costs ? null : CallCost.Start(child);
        long start = Stopwatch.GetTimestamp();
        long calls = await RunAsync(call, loops, duration, samples, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var (cpu, bytes, workItems) = cost?.Stop(calls) ?? (double.NaN, double.NaN, double.NaN);
        double calleeItems = childWorkItems is null ? double.NaN : (await childWorkItems() - childItems) / (double)Math.Max(calls, 1);
        var all = samples.SelectMany(s => s).Order().ToArray();
        double ToMicros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
        return new LoopResult(calls / elapsed.TotalSeconds, ToMicros(all[all.Length / 2]), ToMicros(all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]), cpu, bytes, workItems, calleeItems);
    }

    private static async Task<long> RunAsync(Func<int, Task> call, int loops, TimeSpan duration, List<long>[]? samples, CancellationToken cancellationToken)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = Enumerable.Range(0, loops).Select(c => Task.Run(async () =>
        {
            long n = 0;
            var mine = samples?[c];
            while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < end)
            {
                for (int batch = 0; batch < 16; batch++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    await call(c);
                    mine?.Add(Stopwatch.GetTimestamp() - t0);
                    n++;
                }
            }

            return n;
        }, cancellationToken)).ToArray();
        return (await Task.WhenAll(tasks)).Sum();
    }
}

/// <param name="CpuMicrosPerCall">CPU µs per timed call in this process and the child; NaN when costs were not measured.</param>
/// <param name="AllocatedBytesPerCall">Bytes allocated in this process per timed call; NaN when costs were not measured.</param>
/// <param name="WorkItemsPerCall">Thread-pool work items run in this process per timed call; NaN when costs were not measured.</param>
/// <param name="CalleeWorkItemsPerCall">Thread-pool work items run in the child process per timed call; NaN when not counted.</param>
internal sealed record LoopResult(double CallsPerSecond, double P50Micros, double P99Micros, double CpuMicrosPerCall = double.NaN, double AllocatedBytesPerCall = double.NaN, double WorkItemsPerCall = double.NaN, double CalleeWorkItemsPerCall = double.NaN)
{
    /// <summary>Every figure the mean of the measurements' (of equal duration): one phase measured in slices.</summary>
    public static LoopResult Mean(IReadOnlyList<LoopResult> slices) => new(
        slices.Average(r => r.CallsPerSecond),
        slices.Average(r => r.P50Micros),
        slices.Average(r => r.P99Micros),
        slices.Average(r => r.CpuMicrosPerCall),
        slices.Average(r => r.AllocatedBytesPerCall),
        slices.Average(r => r.WorkItemsPerCall),
        slices.Average(r => r.CalleeWorkItemsPerCall));
}
