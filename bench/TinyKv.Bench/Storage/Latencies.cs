using System.Diagnostics;

namespace TinyKv.Bench.Storage;

/// <summary>Per-operation latencies in Stopwatch ticks; thread-safe adds, percentiles on demand.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = new(1 << 16);
    private readonly Lock _lock = new();

    public int Count => _ticks.Count;

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

/// <summary>A measured run: operations per second and its latencies.</summary>
internal sealed record Measurement(double OpsPerSecond, Latencies Latencies)
{
    public IEnumerable<Metric> Report(string name, string unit = "ops/s")
    {
        yield return Metric.Reported($"{name} p50", Latencies.Percentile(0.50), "µs");
        yield return Metric.Reported($"{name} p99", Latencies.Percentile(0.99), "µs");
    }
}
