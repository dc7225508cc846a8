using System.Diagnostics;
using TinyKv.Storage;

namespace TinyKv.Bench.Storage;

public sealed partial class StorageSuite
{
    private sealed partial class Run
    {
        /// <summary>Puts in unsynced batches of 100, then point gets and seek + scan of 100, engine and SQLite on the same keys.</summary>
        public async Task ReadsAndWritesAsync(List<Metric> metrics, CancellationToken cancellationToken)
        {
            var random = new Random(42);
            long[] order = [.. Enumerable.Range(0, Keys).Select(i => (long)i).OrderBy(_ => random.Next())];
            var pairs = order.Select(i => (BenchData.Key(i), BenchData.Value(i))).ToArray();

            int batches = pairs.Length / 100;
            Task PutBatchAsync(IKvEngine target, int b)
            {
                var batch = new WriteBatch();
                for (int i = b * 100; i < (b * 100) + 100; i++)
                {
                    batch.Put(ColumnFamily.Default, pairs[i].Item1, pairs[i].Item2);
                }

                return target.WriteAsync(batch, cancellationToken).AsTask();
            }

            Task SqlitePutBatchAsync(SqliteBaseline target, int b)
            {
                target.PutBatch(new ArraySegment<(byte[], byte[])>(pairs, b * 100, 100));
                return Task.CompletedTask;
            }

            // The puts warm up on scratch instances: the timed ones insert every key afresh.
            using (var scratch = NewEngine())
            {
                await WarmUpAsync(batches, b => PutBatchAsync(scratch, b));
            }

            using (var scratch = new SqliteBaseline(Path.Combine(NewDirectory("sqlite-scratch"), "kv.db")))
            {
                await WarmUpAsync(batches, b => SqlitePutBatchAsync(scratch, b));
            }

            using var engine = NewEngine();
            var enginePut = await MeasureAsync(batches, 100, b => PutBatchAsync(engine, b), warmUp: false);
            using var sqlite = new SqliteBaseline(Path.Combine(NewDirectory("sqlite"), "kv.db"));
            var sqlitePut = await MeasureAsync(batches, 100, b => SqlitePutBatchAsync(sqlite, b), warmUp: false);
            metrics.Add(Metric.HigherIsBetter("put, unsynced batches of 100", enginePut.OpsPerSecond, "keys/s", "SQLite batch insert in one txn (WAL)", sqlitePut.OpsPerSecond, 3.0));
            metrics.AddRange(enginePut.Report("put batch of 100"));
            metrics.AddRange(sqlitePut.Report("SQLite put batch of 100"));

            int gets = options.Pick(200_000, 1_000_000);
            var (engineGet, sqliteGet) = await Measurement.InterleavedAsync(
                Rounds,
                () => MeasureAsync(gets / Rounds, 1, i =>
                {
                    _ = engine.Get(ColumnFamily.Default, pairs[(i * 7919) % pairs.Length].Item1) ?? throw new InvalidOperationException("missing key");
                    return Task.CompletedTask;
                }),
                () => MeasureAsync(gets / 4 / Rounds, 1, i =>
                {
                    _ = sqlite.Get(pairs[(i * 7919) % pairs.Length].Item1) ?? throw new InvalidOperationException("missing key");
                    return Task.CompletedTask;
                }));
            metrics.Add(Metric.HigherIsBetter("point get, latest, 1 thread", engineGet.OpsPerSecond, "ops/s", "SQLite point select (WAL)", sqliteGet.OpsPerSecond, 5.0));
            metrics.AddRange(engineGet.Report("point get"));
            metrics.AddRange(sqliteGet.Report("SQLite point get"));

            int scans = options.Pick(20_000, 100_000);
            var (engineScan, sqliteScan) = await Measurement.InterleavedAsync(
                Rounds,
                () => MeasureAsync(scans / Rounds, 100, i =>
            {
                using var snapshot = engine.Snapshot();
                using var it = snapshot.NewIterator(ColumnFamily.Default);
                long bytes = 0;
                it.Seek(BenchData.Key((i * 7919L) % (Keys - 100)));
                for (int n = 0; n < 100 && it.Valid; n++, it.Next())
                {
                    bytes += it.Key.Length + it.Value.Length;
                }

                return bytes == 100 * (BenchData.KeySize + BenchData.ValueSize) ? Task.CompletedTask : throw new InvalidOperationException("short scan");
            }),
                () => MeasureAsync(scans / 4 / Rounds, 100, i =>
                    sqlite.Scan(BenchData.Key((i * 7919L) % (Keys - 100))) == 100 * (BenchData.KeySize + BenchData.ValueSize) ? Task.CompletedTask : throw new InvalidOperationException("short scan")));
            metrics.Add(Metric.HigherIsBetter("seek + scan 100 keys", engineScan.OpsPerSecond / 100, "scans/s", "SQLite range select (WAL)", sqliteScan.OpsPerSecond / 100, 3.0));
            metrics.AddRange(engineScan.Report("seek + scan 100"));
            metrics.AddRange(sqliteScan.Report("SQLite seek + scan 100"));
        }

        /// <summary>Runs <paramref name="op"/> for 0..count-1 on one thread; ops per second counts <paramref name="opsPerCall"/> per call.</summary>
        private static async Task<Measurement> MeasureAsync(int count, int opsPerCall, Func<int, Task> op, bool warmUp = true)
        {
            var latencies = new Latencies();
            if (warmUp)
            {
                await WarmUpAsync(count, op);
            }

            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                await op(i);
                latencies.Add(Stopwatch.GetTimestamp() - t0);
            }

            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return new Measurement(count * (double)opsPerCall, seconds, latencies);
        }

        /// <summary>Runs <paramref name="op"/> in rounds of 150 ms until no method compiles during a round (<see cref="JitWarmUp"/>); at most ten rounds.</summary>
        private static Task WarmUpAsync(int count, Func<int, Task> op) =>
            JitWarmUp.UntilSettledAsync(
                async () =>
                {
                    long deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 150 / 1000);
                    for (int i = 0; Stopwatch.GetTimestamp() < deadline; i++)
                    {
                        await op(i % count);
                    }
                },
                settledBelow: 1,
                maxRounds: 10);
    }
}
