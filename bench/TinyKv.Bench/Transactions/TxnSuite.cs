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
public sealed class TxnSuite : IBenchmarkSuite
{
    private const int Concurrency = 64;
    private const double WriteFloor = 0.3;

    public string Name => "txn";

    public string Description => "Percolator prewrite+commit and snapshot get vs raw engine writes/reads";

    public async Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        int txns = options.Pick(2_000, 20_000);
        int gets = options.Pick(20_000, 200_000);
        var metrics = new List<Metric>();

        await WarmUpAsync(options, cancellationToken);

        double rawSerial = await RawWritesAsync(options, txns, 1, cancellationToken);
        double txnSerial = await TransactionsAsync(options, txns, 1, cancellationToken);
        metrics.Add(Metric.HigherIsBetter("prewrite_commit_2key_1thread", txnSerial, "txn/s", "raw writes, 2 batches of 2 puts per txn", rawSerial, WriteFloor));

        double rawConcurrent = await RawWritesAsync(options, txns, Concurrency, cancellationToken);
        double txnConcurrent = await TransactionsAsync(options, txns, Concurrency, cancellationToken);
        metrics.Add(Metric.HigherIsBetter($"prewrite_commit_2key_{Concurrency}concurrent", txnConcurrent, "txn/s", $"raw writes, {Concurrency} writers", rawConcurrent, WriteFloor));

        var (txnGets, rawGets) = await GetsAsync(options, txns, gets, cancellationToken);
        metrics.Add(Metric.HigherIsBetter("snapshot_get", txnGets, "get/s", "raw snapshot point gets", rawGets, null));
        return metrics;
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

    private static async Task WarmUpAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        await RawWritesAsync(options, 200, 4, cancellationToken);
        await TransactionsAsync(options, 200, 4, cancellationToken);
        await GetsAsync(options, 200, 200, cancellationToken);
    }

    private static byte[] Key(int txn, int i) => System.Text.Encoding.ASCII.GetBytes($"user{txn:D9}/{i}");

    private static byte[] Value(int txn) => [.. BitConverter.GetBytes(txn), .. new byte[12]];

    /// <summary>Raw writes: per transaction, two batches of the two keys' values, as many batches as the MVCC path writes.</summary>
    private static async Task<double> RawWritesAsync(BenchOptions options, int txns, int writers, CancellationToken cancellationToken)
    {
        using var engine = CreateEngine(options, $"raw-{writers}");
        var clock = Stopwatch.StartNew();
        await RunSplitAsync(txns, writers, async txn =>
        {
            for (int round = 0; round < 2; round++)
            {
                var batch = new WriteBatch()
                    .Put(ColumnFamily.Default, Key(txn, 0), Value(txn))
                    .Put(ColumnFamily.Default, Key(txn, 1), Value(txn));
                await engine.WriteAsync(batch, cancellationToken);
            }
        });
        return txns / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Prewrite then commit of two keys per transaction; distinct keys, so transactions never conflict.</summary>
    private static async Task<double> TransactionsAsync(BenchOptions options, int txns, int writers, CancellationToken cancellationToken)
    {
        using var engine = CreateEngine(options, $"txn-{writers}");
        var store = new TxnStore(engine);
        var clock = Stopwatch.StartNew();
        await RunSplitAsync(txns, writers, txn => CommitOneAsync(store, txn, cancellationToken));
        return txns / clock.Elapsed.TotalSeconds;
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
