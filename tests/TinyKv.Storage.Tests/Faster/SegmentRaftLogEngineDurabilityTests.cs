using TinyKv.Storage.Memory;
using TinyKv.Storage.RaftLog;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>What only the durable raft-log engine promises: reopen, reclaimed space, crash prefixes.</summary>
public sealed class SegmentRaftLogEngineDurabilityTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private RaftLogEngineOptions Options(string name = "raft", bool fsync = true) => new()
    {
        Directory = _directory.Sub(name),
        SegmentSize = 64 << 10,
        RewriteBytes = 256 << 10,
        Fsync = fsync,
    };

    private static RaftEntry[] Entries(ulong from, int count, ulong term, int size) =>
        [.. Enumerable.Range(0, count).Select(i => new RaftEntry(from + (ulong)i, term, new byte[size]))];

    [Fact]
    public async Task Reopen_restores_entries_states_compactions_and_cleans()
    {
        using (var engine = SegmentRaftLogEngine.Open(Options()))
        {
            await engine.WriteAsync(new RaftLogBatch().Append(1, Entries(1, 10, 1, 30)).Append(2, Entries(1, 3, 1, 30)).SetState(1, new RaftState(1, 2, 3)));
            await engine.WriteAsync(new RaftLogBatch { Sync = true }.Compact(1, 6).Append(1, Entries(9, 2, 2, 30)).Clean(2));
        }

        using var reopened = SegmentRaftLogEngine.Open(Options());
        Assert.Equal(6UL, reopened.FirstIndex(1));
        Assert.Equal(10UL, reopened.LastIndex(1));
        Assert.Equal(2UL, reopened.Term(1, 9));
        Assert.Equal(1UL, reopened.Term(1, 8));
        Assert.Equal(new RaftState(1, 2, 3), reopened.GetState(1));
        Assert.Equal([1UL], reopened.Regions());
    }

    [Fact]
    public async Task Compacted_prefixes_are_reclaimed_on_disk()
    {
        var options = Options();
        using (var engine = SegmentRaftLogEngine.Open(options))
        {
            for (ulong round = 0; round < 200; round++)
            {
                var batch = new RaftLogBatch { Sync = round % 10 == 0 };
                for (ulong region = 1; region <= 16; region++)
                {
                    batch.Append(region, Entries((round * 4) + 1, 4, 1, 100));
                    batch.Compact(region, (round * 4) + 1);
                }

                await engine.WriteAsync(batch);
                Assert.InRange(engine.LogBytes, 0, 1 << 20);
            }
        }

        using var reopened = SegmentRaftLogEngine.Open(options);
        Assert.Equal(797UL, reopened.FirstIndex(16));
        Assert.Equal(800UL, reopened.LastIndex(16));
    }

    /// <summary>
    /// Random multi-region batches, then a simulated power cut; the reopened engine must hold exactly
    /// the first k batches for some k at least the last synced one, compared with the memory engine.
    /// </summary>
    [Fact]
    public async Task Every_crash_recovers_a_prefix_holding_every_synced_batch()
    {
        foreach (int seed in TestSeed.Seeds(150))
        {
            var random = new Random(seed);
            var options = Options($"crash-{seed}", fsync: false);
            var batches = new List<RaftLogBatch>();
            ulong synced = 0;
            for (int round = 0; round < 3; round++)
            {
                var engine = SegmentRaftLogEngine.Open(options);
                string context = $"{TestSeed.Replay(seed)}, round {round}";
                ulong recovered = engine.LastSequence;
                Assert.True(recovered >= synced && recovered <= (ulong)batches.Count, $"{context}: recovered {recovered}, synced {synced}, written {batches.Count}");
                batches.RemoveRange((int)recovered, batches.Count - (int)recovered);
                var model = await ReplayAsync(batches);
                AssertSame(model, engine, context);
                for (int i = 0; i < random.Next(1, 30); i++)
                {
                    var batch = RandomBatch(random, model);
                    await model.WriteAsync(batch);
                    await engine.WriteAsync(batch);
                    batches.Add(batch);
                    synced = batch.Sync ? (ulong)batches.Count : synced;
                }

                engine.SimulateCrash(random);
            }
        }
    }

    private static RaftLogBatch RandomBatch(Random random, MemoryEngine model)
    {
        var batch = new RaftLogBatch { Sync = random.Next(4) == 0 };
        var touched = new HashSet<ulong>();
        for (int op = 0; op < random.Next(1, 4); op++)
        {
            ulong region = (ulong)random.Next(1, 6);
            if (!touched.Add(region))
            {
                continue;
            }

            ulong first = model.FirstIndex(region);
            ulong last = model.LastIndex(region);
            switch (random.Next(6))
            {
                case 0 when last >= first:
                    batch.Compact(region, (ulong)random.NextInt64((long)first, (long)last + 2));
                    break;
                case 1:
                    batch.SetState(region, new RaftState((ulong)random.Next(100), (ulong)random.Next(4), last));
                    break;
                default:
                    ulong start = last < first ? first : (ulong)random.NextInt64((long)first, (long)last + 2);
                    batch.Append(region, Entries(start, random.Next(1, 5), (ulong)random.Next(1, 9), random.Next(0, 3000)));
                    break;
            }
        }

        return batch;
    }

    private static async Task<MemoryEngine> ReplayAsync(List<RaftLogBatch> batches)
    {
        var model = new MemoryEngine();
        foreach (var batch in batches)
        {
            await model.WriteAsync(batch);
        }

        return model;
    }

    private static void AssertSame(MemoryEngine expected, SegmentRaftLogEngine actual, string context)
    {
        Assert.True(expected.Regions().SequenceEqual(actual.Regions()), $"{context}: regions differ");
        foreach (ulong region in expected.Regions())
        {
            Assert.True(expected.FirstIndex(region) == actual.FirstIndex(region) && expected.LastIndex(region) == actual.LastIndex(region), $"{context}: bounds of region {region} differ");
            Assert.True(expected.GetState(region) == actual.GetState(region), $"{context}: state of region {region} differs");
            for (ulong i = expected.FirstIndex(region); i <= expected.LastIndex(region); i++)
            {
                var e = expected.GetEntry(region, i)!.Value;
                var a = actual.GetEntry(region, i)!.Value;
                Assert.True(e.Term == a.Term && e.Data.AsSpan().SequenceEqual(a.Data), $"{context}: entry {i} of region {region} differs");
            }
        }
    }
}
