using System.Diagnostics;

namespace TinyKv.Bench.Storage;

/// <summary>Per-operation latencies in Stopwatch ticks; thread-safe adds, percentiles on demand.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = new(1 << 16);
    private readonly Lock _lock = new();

    public int Count => _ticks.Count;

    public void AddRange(Latencies other)
    {
        lock (_lock)
        {
            _ticks.AddRange(other._ticks);
        }
    }

    public void Add(long ticks)
    {
        lock (_lock)
        {
            _ticks.Add(ticks);
        }
    }

    /// <summary>The <paramref name="quantile"/> latency in microseconds.</summary>
    public double Percentile(double quantile)
    {
        lock (_lock)
        {
            if (_ticks.Count == 0)
            {
                return 0;
            }

            _ticks.Sort();
            long t = _ticks[Math.Min(_ticks.Count - 1, (int)(quantile * _ticks.Count))];
            return t * 1_000_000.0 / Stopwatch.Frequency;
        }
    }
}

/// <summary>A measured run: operations, seconds and latencies, and the process's CPU seconds and allocated bytes over it (0 when not measured).</summary>
internal sealed record Measurement(double Ops, double Seconds, Latencies Latencies, double CpuSeconds = 0, double AllocatedBytes = 0)
{
    public double OpsPerSecond => Ops / Seconds;

    /// <summary>
    /// Runs <paramref name="engine"/> and <paramref name="baseline"/> alternately for
    /// <paramref name="rounds"/> rounds and sums each side, so load changes on a shared machine
    /// hit both alike.
    /// </summary>
    public static async Task<(Measurement Engine, Measurement Baseline)> InterleavedAsync(int rounds, Func<Task<Measurement>> engine, Func<Task<Measurement>> baseline)
    {
        var e = new Measurement(0, 0, new Latencies());
        var b = new Measurement(0, 0, new Latencies());
        for (int i = 0; i < rounds; i++)
        {
            e = e.Plus(await engine());
            b = b.Plus(await baseline());
        }

        return (e, b);
    }

    private Measurement Plus(Measurement other)
    {
        Latencies.AddRange(other.Latencies);
        return new Measurement(Ops + other.Ops, Seconds + other.Seconds, Latencies, CpuSeconds + other.CpuSeconds, AllocatedBytes + other.AllocatedBytes);
    }

    public IEnumerable<Metric> Report(string name, string unit = "ops/s")
    {
        yield return Metric.Reported($"{name} p50", Latencies.Percentile(0.50), "µs");
        yield return Metric.Reported($"{name} p99", Latencies.Percentile(0.99), "µs");
        if (CpuSeconds > 0 && Ops > 0)
        {
            yield return Metric.Reported($"{name} CPU per op (whole process)", CpuSeconds * 1_000_000 / Ops, "µs");
            yield return Metric.Reported($"{name} allocated per op (whole process)", AllocatedBytes / Ops, "B");
        }
    }
}
