using TinyKv.Storage.Faster;
using TinyKv.Storage.Tests.Conformance;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>
/// Crash safety as a property, in process: random batches (some synced), then a simulated power
/// cut that keeps only a random prefix of the unsynced WAL bytes (sometimes garbled); the reopened
/// engine must expose exactly the first k batches for some k no smaller than the last synced one.
/// Several crashes per case, so recovery also recovers what an earlier recovery wrote.
/// </summary>
public sealed class SimulatedCrashPropertyTests : IDisposable
{
    private const int Cases = 1000;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_crash_recovers_a_prefix_holding_every_synced_batch()
    {
        int crashes = 0;
        var seeds = TestSeed.Seeds(Cases).ToList();
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(w => Task.Run(async () =>
        {
            for (int i = w; i < seeds.Count; i += Environment.ProcessorCount)
            {
                Interlocked.Add(ref crashes, await RunCaseAsync(seeds[i]));
            }
        }));
        await Task.WhenAll(workers);

        Assert.True(crashes >= seeds.Count, $"only {crashes} crashes simulated");
    }

    private async Task<int> RunCaseAsync(int seed)
    {
        var random = new Random(seed);
        var options = new FasterKvOptions
        {
            Directory = _directory.Sub($"case-{seed}"),
            WalSegmentSize = 64 << 10,
            CheckpointWalBytes = 128 << 10,
            ValueMemorySizeBits = 13,
            ValuePageSizeBits = 12,
            Fsync = false,
        };
        var batches = new List<WriteBatch>();
        ulong synced = 0;
        int rounds = random.Next(1, 4);
        for (int round = 0; round < rounds; round++)
        {
            var engine = FasterKvEngine.Open(options);
            ulong recovered = engine.LastSequence;
            string context = $"{TestSeed.Replay(seed)}, round {round}";
            Assert.True(recovered >= synced, $"{context}: recovered {recovered} batches but {synced} were synced");
            Assert.True(recovered <= (ulong)batches.Count, $"{context}: recovered {recovered} of {batches.Count} batches");
            batches.RemoveRange((int)recovered, batches.Count - (int)recovered);
            AssertState(engine, batches, context);

            var oracle = new KvEngineConformance.Oracle();
            int writes = random.Next(1, 40);
            for (int i = 0; i < writes; i++)
            {
                var batch = KvEngineConformance.RandomBatch(random, oracle);
                if (random.Next(8) == 0)
                {
                    batch.Put(ColumnFamily.Default, [9, (byte)i], new byte[random.Next(2000, 9000)]);
                }

                await engine.WriteAsync(batch);
                batches.Add(batch);
                if (batch.Sync)
                {
                    synced = (ulong)batches.Count;
                }
            }

            engine.SimulateCrash(random);
        }

        using (var last = FasterKvEngine.Open(options))
        {
            Assert.True(last.LastSequence >= synced, $"{TestSeed.Replay(seed)}: final recovery lost synced batches");
            batches.RemoveRange((int)last.LastSequence, batches.Count - (int)last.LastSequence);
            AssertState(last, batches, $"{TestSeed.Replay(seed)}, final");
        }

        Directory.Delete(options.Directory, recursive: true);
        return rounds;
    }

    /// <summary>The engine holds exactly the result of <paramref name="batches"/>, replayed on a fresh memory engine.</summary>
    private static void AssertState(FasterKvEngine engine, List<WriteBatch> batches, string context)
    {
        using var expectedEngine = new Memory.MemoryEngine();
        foreach (var batch in batches)
        {
            var copy = new WriteBatch();
            foreach (var op in batch.Operations)
            {
                _ = op.Kind switch
                {
                    WriteOpKind.Put => copy.Put(op.Cf, op.Key, op.Value),
                    WriteOpKind.Delete => copy.Delete(op.Cf, op.Key),
                    _ => copy.DeleteRange(op.Cf, op.Key, op.EndKey),
                };
            }

            Assert.True(expectedEngine.WriteAsync(copy).IsCompletedSuccessfully);
        }

        using var expected = expectedEngine.Snapshot();
        using var actual = engine.Snapshot();
        foreach (var cf in ColumnFamilies.All)
        {
            using var e = expected.NewIterator(cf);
            using var a = actual.NewIterator(cf);
            e.SeekToFirst();
            a.SeekToFirst();
            while (e.Valid && a.Valid)
            {
                Assert.True(e.Key.SequenceEqual(a.Key) && e.Value.SequenceEqual(a.Value), $"{context}: {cf} differs at key {Convert.ToHexString(e.Key)}");
                e.Next();
                a.Next();
            }

            Assert.True(e.Valid == a.Valid, $"{context}: {cf} has {(a.Valid ? "extra" : "missing")} keys");
        }
    }
}
