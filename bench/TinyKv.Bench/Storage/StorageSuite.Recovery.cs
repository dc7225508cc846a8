using System.Diagnostics;
using FASTER.core;
using TinyKv.Storage;
using TinyKv.Storage.Faster;

namespace TinyKv.Bench.Storage;

public sealed partial class StorageSuite
{
    private sealed partial class Run
    {
        /// <summary>Reopens an engine whose WAL holds one single-put batch per record; reports WAL records replayed per second.</summary>
        public async Task RecoveryAsync(List<Metric> metrics, CancellationToken cancellationToken)
        {
            int records = options.Pick(300_000, 1_000_000);
            string directory = NewDirectory("recovery");
            var walOptions = new FasterKvOptions { Directory = directory, CheckpointWalBytes = 4L << 30 };
            using (var engine = FasterKvEngine.Open(walOptions))
            {
                var pending = new List<Task>(records);
                for (int i = 0; i < records; i++)
                {
                    pending.Add(engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, BenchData.Key(i), BenchData.Value(i)), cancellationToken).AsTask());
                }

                await Task.WhenAll(pending);
            }

            GC.Collect();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            long start = Stopwatch.GetTimestamp();
            using (var reopened = FasterKvEngine.Open(walOptions))
            {
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
                if (reopened.LastSequence != (ulong)records)
                {
                    throw new InvalidOperationException($"recovered {reopened.LastSequence} of {records} batches");
                }

                metrics.Add(Metric.AtLeast("recovery replay", records / seconds, "records/s", 1_000_000));
                metrics.Add(Metric.Reported("recovery replay per CPU-second (whole process)", records / cpu, "records/s"));
                metrics.Add(Metric.Reported("recovery replay allocated per record (whole process)", (double)allocated / records, "B"));
            }
        }

        /// <summary>
        /// The measurement behind the WAL choice (Storage/README.md): FasterLog with a synchronous
        /// commit per append, against the raw append + fdatasync loop.
        /// </summary>
        public void FasterLogComparison(List<Metric> metrics)
        {
            string directory = NewDirectory("fasterlog");
            using var device = Devices.CreateLogDevice(Path.Combine(directory, "log"), preallocateFile: false, deleteOnClose: true);
            using var log = new FasterLog(new FasterLogSettings { LogDevice = device, LogCommitDir = directory, MemorySizeBits = 22, PageSizeBits = 20, SegmentSizeBits = 28 });
            var record = RawRecord(0);
            var latencies = new Latencies();
            long start = Stopwatch.GetTimestamp();
            long deadline = start + (long)(RoundDuration.TotalSeconds * Stopwatch.Frequency);
            long count = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                long t0 = Stopwatch.GetTimestamp();
                log.Enqueue(record);
                log.Commit(spinWait: true);
                latencies.Add(Stopwatch.GetTimestamp() - t0);
                count++;
            }

            var fasterLog = new Measurement(count, Stopwatch.GetElapsedTime(start).TotalSeconds, latencies);
            var raw = RawAppendLoop();
            metrics.Add(Metric.HigherIsBetter("FasterLog append + sync commit, 1 writer", fasterLog.OpsPerSecond, "ops/s", "raw append + fdatasync loop", raw.OpsPerSecond, null));
            metrics.AddRange(fasterLog.Report("FasterLog append + commit"));
        }
    }
}
