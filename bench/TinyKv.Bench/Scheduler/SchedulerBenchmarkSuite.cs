using System.Buffers.Binary;
using System.Diagnostics;
using TinyKv.Scheduler;
using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Regions;

namespace TinyKv.Bench.Scheduler;

/// <summary>
/// The scheduler core: region heartbeats/s with 100k regions on 10 stores, TSO timestamps/s,
/// and region lookups by key against a SortedDictionary lookup over the same keys.
/// </summary>
public sealed class SchedulerBenchmarkSuite : IBenchmarkSuite
{
    private const int RegionCount = 100_000;
    private const int StoreCount = 10;

    public string Name => "scheduler";

    public string Description => "region heartbeats/s (100k regions, 10 stores), TSO timestamps/s, region lookups by key vs SortedDictionary";

    public Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var metrics = new List<Metric>();
        metrics.AddRange(RegionHeartbeats(options, cancellationToken));
        metrics.Add(Timestamps(options));
        metrics.Add(Lookups(options, cancellationToken));
        return Task.FromResult<IReadOnlyList<Metric>>(metrics);
    }

    private static byte[] KeyOf(int i)
    {
        var key = new byte[9];
        key[0] = (byte)'t';
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), (ulong)i * 16);
        return key;
    }

    private static RegionInfo[] BuildRegions(int sizeDelta, int leaderShift)
    {
        var regions = new RegionInfo[RegionCount];
        for (int i = 0; i < RegionCount; i++)
        {
            var peers = new[]
            {
                new Peer((ulong)i * 3 + 1, (ulong)(i % StoreCount) + 1),
                new Peer((ulong)i * 3 + 2, (ulong)((i + 1) % StoreCount) + 1),
                new Peer((ulong)i * 3 + 3, (ulong)((i + 2) % StoreCount) + 1),
            };
            regions[i] = new RegionInfo
            {
                Id = (ulong)i + 10,
                StartKey = i == 0 ? [] : KeyOf(i),
                EndKey = i == RegionCount - 1 ? [] : KeyOf(i + 1),
                Epoch = new RegionEpoch(3, 2),
                Peers = [.. peers],
                Leader = peers[(i + leaderShift) % 3],
                ApproximateSize = 96 + sizeDelta,
                ApproximateKeys = 100_000 + sizeDelta,
            };
        }

        return regions;
    }

    /// <summary>
    /// Heartbeats that each change something (size, keys and, every other pass, the leader), so every
    /// one goes through the epoch checks, the region tree, the per-store indexes and store statistics.
    /// </summary>
    private static IEnumerable<Metric> RegionHeartbeats(BenchOptions options, CancellationToken cancellationToken)
    {
        var cluster = new RaftCluster(new SchedulerOptions(), new IdAllocator(new MemoryHighWaterMarkStore()), TimeProvider.System, seed: 1);
        cluster.Bootstrap(new StoreInfo { Id = 1, Address = "s1" }, new RegionInfo { Id = 1, Epoch = new RegionEpoch(1, 1), Peers = [new Peer(1, 1)], Leader = new Peer(1, 1) });
        for (ulong s = 2; s <= StoreCount; s++)
        {
            cluster.PutStore(new StoreInfo { Id = s, Address = $"s{s}" });
        }

        var variants = new[] { BuildRegions(0, 0), BuildRegions(1, 1) };
        foreach (var region in variants[0])
        {
            Check(cluster.HandleRegionHeartbeat(region).Error);
        }

        // Best pass of several: the machine is shared, and the slowest passes measure the neighbours.
        int passes = options.Pick(8, 20);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        double best = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = variants[(pass + 1) % 2];
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < batch.Length; i++)
            {
                Check(cluster.HandleRegionHeartbeat(batch[i]).Error);
            }

            best = Math.Max(best, batch.Length / watch.Elapsed.TotalSeconds);
        }

        long heartbeats = (long)passes * RegionCount;
        double allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)heartbeats;
        yield return Metric.AtLeast("region heartbeats (100k regions, 10 stores)", best, "hb/s", 200_000);
        yield return Metric.Reported("allocated per region heartbeat", allocated, "bytes");
    }

    private static Metric Timestamps(BenchOptions options)
    {
        var tso = new TimestampOracle(new MemoryHighWaterMarkStore(), TimeProvider.System);
        int rounds = options.Pick(5, 20);
        const int PerRound = 1_000_000;
        ulong last = 0;
        double best = 0;
        for (int round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < PerRound; i++)
            {
                ulong ts = tso.GetTimestamp().Value;
                if (ts <= last)
                {
                    throw new InvalidOperationException($"TSO went back: {ts} after {last}");
                }

                last = ts;
            }

            best = Math.Max(best, PerRound / watch.Elapsed.TotalSeconds);
        }

        return Metric.AtLeast("tso timestamps", best, "ts/s", 1_000_000);
    }

    /// <summary>
    /// Looks up region start keys in random order: the region tree finds the region containing each
    /// key (a floor search plus an end-key check); the baseline finds the same keys by exact match
    /// in a SortedDictionary, the BCL's ordered map.
    /// </summary>
    private static Metric Lookups(BenchOptions options, CancellationToken cancellationToken)
    {
        var regions = BuildRegions(0, 0);
        var tree = new RegionTree();
        var baseline = new SortedDictionary<byte[], RegionInfo>(ByteArrayComparer.Instance);
        foreach (var region in regions)
        {
            tree.Put(region);
            baseline.Add(region.StartKey, region);
        }

        var random = new Random(42);
        var queries = new byte[options.Pick(200_000, 2_000_000)][];
        for (int i = 0; i < queries.Length; i++)
        {
            queries[i] = regions[random.Next(regions.Length)].StartKey;
        }

        int rounds = options.Pick(3, 5);
        double best = 0;
        double bestBaseline = 0;
        for (int round = 0; round < rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            ulong sum = 0;
            foreach (var key in queries)
            {
                sum += tree.Find(key)!.Id;
            }

            best = Math.Max(best, queries.Length / watch.Elapsed.TotalSeconds);
            watch.Restart();
            ulong baselineSum = 0;
            foreach (var key in queries)
            {
                baselineSum += baseline.TryGetValue(key, out var found) ? found.Id : 0;
            }

            bestBaseline = Math.Max(bestBaseline, queries.Length / watch.Elapsed.TotalSeconds);
            if (sum != baselineSum)
            {
                throw new InvalidOperationException("region tree and baseline disagree");
            }
        }

        return Metric.HigherIsBetter("region lookups by key (100k regions)", best, "lookups/s", "SortedDictionary lookup", bestBaseline, 0.5);
    }

    private static void Check(SchedulerError error)
    {
        if (error != SchedulerError.None)
        {
            throw new InvalidOperationException($"heartbeat rejected: {error}");
        }
    }

    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
