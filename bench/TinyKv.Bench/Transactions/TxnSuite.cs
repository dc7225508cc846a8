using System.Diagnostics;
using TinyKv.Storage;
using TinyKv.Storage.Faster;
using TinyKv.Transactions;
using TinyKv.Transactions.Commands;

namespace TinyKv.Bench.Transactions;

/// <summary>
/// The <c>txn</c> suite: Percolator prewrite + commit of 2-key transactions and snapshot gets
/// through <see cref="TxnStore"/>, each against a baseline measured in the same run on a fresh
/// engine of the same kind: the same number of raw engine writes (one write batch per MVCC
/// batch: prewrite and commit, 2 puts each) or raw point reads, without MVCC. Unsynced writes.
/// </summary>
/// <remarks>
/// After a warm-up (so both paths run tiered-up code), the baseline and the transactions alternate
/// in <see cref="Rounds"/> rounds of a fixed count each, so a change of load on the shared machine
/// hits both; a figure is its side's total count over its total time. Each measurement starts
/// after a full collection, so neither inherits the other's garbage.
/// </remarks>
public sealed class TxnSuite : IBenchmarkSuite
{
    private const int Concurrency = 64;
    private const int Rounds = 3;
    private const double WriteFloor = 0.3;

    public string Name => "txn";

    public string Description => "Percolator prewrite+commit and snapshot get vs raw engine writes/reads";

    public async Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        int serialTxns = options.Pick(10_000, 50_000);
        int concurrentTxns = options.Pick(40_000, 200_000);
        int gets = options.Pick(200_000, 1_000_000);
        var metrics = new List<Metric>();

        await WarmUpAsync(options, cancellationToken);

        var (txnSerial, rawSerial) = await AlternateAsync(options, serialTxns, 1, cancellationToken);
        metrics.Add(Metric.HigherIsBetter("prewrite_commit_2key_1thread", txnSerial.PerSecond, "txn/s", "raw writes, 2 batches of 2 puts per txn", rawSerial.PerSecond, WriteFloor));

        var (txnConcurrent, rawConcurrent) = await AlternateAsync(options, concurrentTxns, Concurrency, cancellationToken);
        metrics.Add(Metric.HigherIsBetter($"prewrite_commit_2key_{Concurrency}concurrent", txnConcurrent.PerSecond, "txn/s", $"raw writes, {Concurrency} writers", rawConcurrent.PerSecond, WriteFloor));
        metrics.Add(Metric.Reported($"prewrite_commit_2key_{Concurrency}concurrent_allocated", txnConcurrent.BytesPerTxn, "B/txn"));
        metrics.Add(Metric.Reported($"raw_writes_{Concurrency}concurrent_allocated", rawConcurrent.BytesPerTxn, "B/txn"));
        metrics.Add(Metric.Reported($"prewrite_commit_2key_{Concurrency}concurrent_cpu", txnConcurrent.CpuMicrosPerTxn, "us/txn"));
        metrics.Add(Metric.Reported($"raw_writes_{Concurrency}concurrent_cpu", rawConcurrent.CpuMicrosPerTxn, "us/txn"));

        var (txnGets, rawGets) = await GetsAsync(options, serialTxns, gets, cancellationToken);
        metrics.Add(Metric.HigherIsBetter("snapshot_get", txnGets, "get/s", "raw snapshot point gets", rawGets, null));
        return metrics;
    }

    /// <summary>What one side of a comparison did: transactions per second, bytes allocated and process CPU time (all threads) per transaction.</summary>
    private readonly record struct Throughput(double PerSecond, double BytesPerTxn, double CpuMicrosPerTxn);

    /// <summary>Transactions and raw writes, <see cref="Rounds"/> rounds of <paramref name="txns"/> each, alternating.</summary>
    private static async Task<(Throughput Txn, Throughput Raw)> AlternateAsync(BenchOptions options, int txns, int writers, CancellationToken cancellationToken)
    {
        var txn = new Totals();
        var raw = new Totals();
        for (int round = 0; round < Rounds; round++)
        {
            raw.Add(txns, await RawWritesAsync(options, txns, writers, cancellationToken));
            txn.Add(txns, await TransactionsAsync(options, txns, writers, cancellationToken));
        }

        return (txn.Result, raw.Result);
    }

    /// <summary>Elapsed time, allocated bytes and process CPU time of one measured run.</summary>
    private readonly record struct Run(TimeSpan Elapsed, long AllocatedBytes, TimeSpan Cpu);

    private sealed class Totals
    {
        private long _txns;
        private TimeSpan _elapsed;
        private long _allocated;
        private TimeSpan _cpu;

        public Throughput Result => new(_txns / _elapsed.TotalSeconds, (double)_allocated / _txns, _cpu.TotalMicroseconds / _txns);

        public void Add(int txns, Run run)
        {
            _txns += txns;
            _elapsed += run.Elapsed;
            _allocated += run.AllocatedBytes;
            _cpu += run.Cpu;
        }
    }

    private static int _engineCount;

    /// <summary>
    /// The one place the suite builds an engine: the production FASTER engine, unsynced batches,
    /// each in a fresh directory. Every measurement and its baseline run on it, so the ratio is
    /// the cost of MVCC over raw engine work.
    /// </summary>
    private static IKvEngine CreateEngine(BenchOptions options, string name) =>
        FasterKvEngine.Open(new FasterKvOptions
        {
            Directory = Path.Combine(options.WorkDirectory, $"txn-{name}-{Interlocked.Increment(ref _engineCount)}"),
        });

    /// <summary>Runs every measured path long enough for tiered compilation to replace its code with optimized code.</summary>
    private static async Task WarmUpAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        foreach (int writers in new[] { 1, Concurrency })
        {
            await RawWritesAsync(options, 5_000, writers, cancellationToken);
            await TransactionsAsync(options, 5_000, writers, cancellationToken);
        }

        await GetsAsync(options, 2_000, 20_000, cancellationToken);
    }

    /// <summary>
    /// The ASCII key <c>user{txn:D9}/{i}</c>, written digit by digit: the harness builds keys for
    /// both sides inside the timed loops, so it formats no string (that cost ~0.4 KB and a number
    /// formatting per key, paid by both sides but not part of either).
    /// </summary>
    private static byte[] Key(int txn, int i)
    {
        if ((uint)txn > 999_999_999 || (uint)i > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(txn), $"key ({txn}, {i}) does not fit the layout");
        }

        byte[] key = new byte[15];
        "user"u8.CopyTo(key);
        for (int at = 12; at >= 4; at--, txn /= 10)
        {
            key[at] = (byte)('0' + (txn % 10));
        }

        key[13] = (byte)'/';
        key[14] = (byte)('0' + i);
        return key;
    }

    /// <summary>16 bytes: <paramref name="txn"/> little-endian, then zeros.</summary>
    private static byte[] Value(int txn)
    {
        byte[] value = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, txn);
        return value;
    }

    /// <summary>Raw writes: per transaction, two batches of the two keys' values, as many batches as the MVCC path writes.</summary>
    private static async Task<Run> RawWritesAsync(BenchOptions options, int txns, int writers, CancellationToken cancellationToken)
    {
        using var engine = CreateEngine(options, $"raw-{writers}");
        return await MeasureAsync(txns, writers, async txn =>
        {
            for (int round = 0; round < 2; round++)
            {
                var batch = new WriteBatch()
                    .Put(ColumnFamily.Default, Key(txn, 0), Value(txn))
                    .Put(ColumnFamily.Default, Key(txn, 1), Value(txn));
                await engine.WriteAsync(batch, cancellationToken);
            }
        });
    }

    /// <summary>Prewrite then commit of two keys per transaction; distinct keys, so transactions never conflict.</summary>
    private static async Task<Run> TransactionsAsync(BenchOptions options, int txns, int writers, CancellationToken cancellationToken)
    {
        using var engine = CreateEngine(options, $"txn-{writers}");
        var store = new TxnStore(engine);
        return await MeasureAsync(txns, writers, txn => CommitOneAsync(store, txn, cancellationToken));
    }

    /// <summary>Runs <paramref name="body"/> for transactions 0..count-1 (<see cref="RunSplitAsync"/>) after a full collection; its time and allocations.</summary>
    private static async Task<Run> MeasureAsync(int txns, int writers, Func<int, Task> body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = ProcessCpu();
        var clock = Stopwatch.StartNew();
        await RunSplitAsync(txns, writers, body);
        var elapsed = clock.Elapsed;
        return new Run(elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocated, ProcessCpu() - cpu);
    }

    /// <summary>CPU time of the whole process so far (the engine's background threads included).</summary>
    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static async Task CommitOneAsync(TxnStore store, int txn, CancellationToken cancellationToken)
    {
        byte[] primary = Key(txn, 0);
        var startTs = new TimeStamp(((ulong)txn * 2) + 10);
        var errors = await store.PrewriteAsync(
            [Mutation.Put(primary, Value(txn)), Mutation.Put(Key(txn, 1), Value(txn))],
            new TxnProps(startTs, primary, 3_000),
            cancellationToken);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"bench prewrite failed: {errors[0]}");
        }

        if (await store.CommitAsync(startTs, [primary, Key(txn, 1)], startTs.Next(), cancellationToken) is { } error)
        {
            throw new InvalidOperationException($"bench commit failed: {error}");
        }
    }

    /// <summary>Snapshot gets of committed keys through MVCC, against raw point gets of the same keys.</summary>
    private static async Task<(double Txn, double Raw)> GetsAsync(BenchOptions options, int txns, int gets, CancellationToken cancellationToken)
    {
        using var rawEngine = CreateEngine(options, "raw-get");
        using var txnEngine = CreateEngine(options, "txn-get");
        var store = new TxnStore(txnEngine);
        for (int txn = 0; txn < txns; txn++)
        {
            await rawEngine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, Key(txn, 0), Value(txn)), cancellationToken);
            await CommitOneAsync(store, txn, cancellationToken);
        }

        var random = new Random(42);
        int[] picks = [.. Enumerable.Range(0, gets).Select(_ => random.Next(txns))];
        var readTs = new TimeStamp(((ulong)txns * 2) + 20);

        var clock = Stopwatch.StartNew();
        foreach (int txn in picks)
        {
            using var snapshot = rawEngine.Snapshot();
            _ = snapshot.Get(ColumnFamily.Default, Key(txn, 0)) ?? throw new InvalidOperationException("raw key missing");
        }

        double raw = gets / clock.Elapsed.TotalSeconds;
        clock.Restart();
        foreach (int txn in picks)
        {
            _ = store.Get(Key(txn, 0), readTs).Value ?? throw new InvalidOperationException("committed key missing");
        }

        return (gets / clock.Elapsed.TotalSeconds, raw);
    }

    /// <summary>Runs transactions 0..count-1 on <paramref name="workers"/> concurrent tasks, each taking an equal share in order.</summary>
    private static Task RunSplitAsync(int count, int workers, Func<int, Task> body) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (int txn = w; txn < count; txn += workers)
            {
                await body(txn);
            }
        })));
}
