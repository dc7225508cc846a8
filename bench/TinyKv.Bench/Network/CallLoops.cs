using System.Diagnostics;

namespace TinyKv.Bench.Network;

/// <summary>N concurrent loops of awaited calls for a duration (after a warm-up): calls/s and latency percentiles.</summary>
internal static class CallLoops
{
    public static async Task<LoopResult> MeasureAsync(Func<int, Task> call, int loops, TimeSpan duration, CancellationToken cancellationToken)
    {
        long warm = await RunAsync(call, loops, duration / 5, null, cancellationToken);
        var samples = new List<long>[loops];
        for (int i = 0; i < loops; i++)
        {
            samples[i] = new List<long>(1 << 16);
        }

        long start = Stopwatch.GetTimestamp();
        long calls = await RunAsync(call, loops, duration, samples, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var all = samples.SelectMany(s => s).Order().ToArray();
        double ToMicros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
        return new LoopResult(calls / elapsed.TotalSeconds, ToMicros(all[all.Length / 2]), ToMicros(all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]), warm + calls);
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

/// <param name="Calls">Calls made, warm-up included (for per-call costs measured around the whole run).</param>
internal sealed record LoopResult(double CallsPerSecond, double P50Micros, double P99Micros, long Calls = 0);
