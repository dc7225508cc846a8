using System.Diagnostics;
using TinyKv.Storage;

namespace TinyKv.Bench.Storage;

public sealed partial class StorageSuite
{
    private sealed partial class Run
    {
        private const int Writers = 64;

        /// <summary>Synced single-put batches: 64 concurrent writers against the raw group-commit skeleton, 1 writer against the raw append + fdatasync loop.</summary>
        public async Task DurablePutsAsync(List<Metric> metrics, CancellationToken cancellationToken)
        {
            using (var engine = NewEngine())
            {
                var (concurrent, skeleton) = await Measurement.InterleavedAsync(
                    Rounds,
                    () => RunWritersAsync(Writers, (w, i) => engine.WriteAsync(new WriteBatch { Sync = true }.Put(ColumnFamily.Default, BenchData.Key((w << 32) | i), BenchData.PooledValue(i)), cancellationToken).AsTask()),
                    RawGroupCommitAsync);
                metrics.Add(Metric.HigherIsBetter($"durable put, {Writers} writers", concurrent.OpsPerSecond, "ops/s", "raw group-commit WAL skeleton", skeleton.OpsPerSecond, 0.8));
                metrics.AddRange(concurrent.Report($"durable put, {Writers} writers"));
                metrics.AddRange(skeleton.Report("raw group-commit skeleton"));
            }

            using (var engine = NewEngine())
            {
                var (single, raw) = await Measurement.InterleavedAsync(
                    Rounds,
                    () => RunWritersAsync(1, (w, i) => engine.WriteAsync(new WriteBatch { Sync = true }.Put(ColumnFamily.Default, BenchData.Key(i), BenchData.PooledValue(i)), cancellationToken).AsTask()),
                    () => Task.FromResult(RawAppendLoop()));
                metrics.Add(Metric.HigherIsBetter("durable put, 1 writer", single.OpsPerSecond, "ops/s", "raw append + fdatasync loop", raw.OpsPerSecond, 0.7));
                metrics.AddRange(single.Report("durable put, 1 writer"));
                metrics.AddRange(raw.Report("raw append + fdatasync"));
            }
        }

        /// <summary>The raw group-commit skeleton with 64 writers appending records the size of the engine's.</summary>
        private async Task<Measurement> RawGroupCommitAsync()
        {
            using var wal = new RawGroupCommitWal(Path.Combine(NewDirectory("raw-group"), "wal"));
            return await RunWritersAsync(Writers, (_, i) => wal.AppendAsync(RawRecord(i)));
        }

        private Measurement RawAppendLoop()
        {
            using var file = new RawFile(Path.Combine(NewDirectory("raw-loop"), "wal"), 256L << 20);
            var latencies = new Latencies();
            long start = Stopwatch.GetTimestamp();
            long deadline = start + (long)(RoundDuration.TotalSeconds * Stopwatch.Frequency);
            long count = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                long t0 = Stopwatch.GetTimestamp();
                file.Append(RawRecord(count++));
                file.DataSync();
                latencies.Add(Stopwatch.GetTimestamp() - t0);
            }

            return new Measurement(count, Stopwatch.GetElapsedTime(start).TotalSeconds, latencies);
        }

        /// <summary>A record as large as the engine's WAL record of one put (framing, key, value).</summary>
        private static byte[] RawRecord(long i)
        {
            var record = new byte[8 + 12 + BenchData.KeySize + BenchData.ValueSize];
            BenchData.Key(i).CopyTo(record, 20);
            return record;
        }

        /// <summary>Runs <paramref name="writers"/> concurrent loops of <paramref name="op"/> for the run's duration.</summary>
        private async Task<Measurement> RunWritersAsync(int writers, Func<long, long, Task> op)
        {
            var latencies = new Latencies();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            long start = Stopwatch.GetTimestamp();
            long deadline = start + (long)(RoundDuration.TotalSeconds * Stopwatch.Frequency);
            long total = 0;
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                long i = 0;
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    await op(w, i++);
                    latencies.Add(Stopwatch.GetTimestamp() - t0);
                }

                Interlocked.Add(ref total, i);
            }));
            await Task.WhenAll(tasks);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            return new Measurement(total, seconds, latencies, cpu, GC.GetTotalAllocatedBytes() - allocatedBefore);
        }
    }
}
