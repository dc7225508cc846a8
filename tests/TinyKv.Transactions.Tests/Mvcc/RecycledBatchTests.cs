using TinyKv.Storage;
using TinyKv.Storage.Faster;
using TinyKv.Storage.Memory;
using TinyKv.TestKit;
using TinyKv.Transactions.Commands;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Mvcc;

/// <summary>
/// A recycled <see cref="WriteBatch"/> refills the arrays of its earlier operations: a refilled
/// array holds exactly the new bytes, and the FASTER engine (<see cref="IKvCopyingWrites"/>) keeps
/// none of them, so refilling a written batch never changes what the engine stores.
/// </summary>
public sealed class RecycledBatchTests
{
    [Fact]
    public void A_recycled_array_is_refilled_whole_and_only_at_its_length()
    {
        var batch = new WriteBatch { Sync = true }.Put(ColumnFamily.Lock, [1, 1, 1], [9, 9, 9, 9]);
        byte[] oldKey = batch.Operations[0].Key, oldValue = batch.Operations[0].Value;

        batch.Recycle();
        batch.PutRecycled(ColumnFamily.Write, [2, 2, 2], [8, 8, 8, 8, 8]).DeleteRecycled(ColumnFamily.Lock, [3, 3, 3]);

        Assert.False(batch.Sync);
        Assert.Equal(2, batch.Count);
        Assert.Same(oldKey, batch.Operations[0].Key);
        Assert.Equal([2, 2, 2], batch.Operations[0].Key);
        Assert.Equal([8, 8, 8, 8, 8], batch.Operations[0].Value);
        Assert.NotSame(oldValue, batch.Operations[0].Value);
        Assert.Equal([3, 3, 3], batch.Operations[1].Key);
        Assert.Empty(batch.Operations[1].Value);
        Assert.Equal(1, batch.SpareArrayCount);
        Assert.Equal(11, batch.DataSize);
    }

    [Fact]
    public void Recycle_keeps_at_most_the_spare_limit()
    {
        var batch = new WriteBatch();
        for (int i = 0; i < WriteBatch.MaxSpareArrays; i++)
        {
            batch.Put(ColumnFamily.Default, [(byte)i], [(byte)i]);
        }

        batch.Recycle();

        Assert.True(batch.IsEmpty);
        Assert.Equal(WriteBatch.MaxSpareArrays, batch.SpareArrayCount);
    }

    [Fact]
    public void Recycle_keeps_no_long_array()
    {
        var batch = new WriteBatch().Put(ColumnFamily.Default, [1], new byte[WriteBatch.MaxSpareArrayLength + 1]);

        batch.Recycle();

        Assert.Equal(1, batch.SpareArrayCount);
    }

    [Fact]
    public async Task Refilling_a_written_batch_does_not_change_what_the_faster_engine_stores()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"tinykv-recycled-{Guid.NewGuid():N}");
        try
        {
            using var engine = FasterKvEngine.Open(new FasterKvOptions { Directory = directory, ValueThreshold = 8 });
            var batch = new WriteBatch()
                .Put(ColumnFamily.Lock, K("k1"), [1, 2, 3])
                .Put(ColumnFamily.Lock, K("k2"), [.. Enumerable.Repeat((byte)7, 20)])
                .Put(ColumnFamily.Write, K("k3"), [4]);
            await engine.WriteAsync(batch);
            await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, K("k1"), [5, 6, 7]));
            await engine.WriteAsync(batch.Delete(ColumnFamily.Lock, K("k1")).Put(ColumnFamily.Lock, K("k1"), [1, 2, 3]));

            batch.Recycle();
            batch.PutRecycled(ColumnFamily.Default, K("zz"), [0, 0, 0]).PutRecycled(ColumnFamily.Default, K("yy"), new byte[20]).PutRecycled(ColumnFamily.Default, K("xx"), [0]);
            Assert.Equal(3, batch.SpareArrayCount);

            Assert.IsAssignableFrom<IKvCopyingWrites>(engine);
            using var snapshot = engine.Snapshot();
            Assert.Equal([1, 2, 3], snapshot.Get(ColumnFamily.Lock, K("k1")));
            Assert.Equal(Enumerable.Repeat((byte)7, 20), snapshot.Get(ColumnFamily.Lock, K("k2")));
            Assert.Equal([4], snapshot.Get(ColumnFamily.Write, K("k3")));
            using var cursor = snapshot.NewIterator(ColumnFamily.Lock);
            cursor.SeekToFirst();
            Assert.Equal(K("k1"), cursor.Key.ToArray());
            Assert.Null(snapshot.Get(ColumnFamily.Default, K("zz")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static IEnumerable<object[]> Seeds() => TestSeed.Seeds(6).Select(s => new object[] { s });

    /// <summary>
    /// Random transactions (keys of a few lengths, short and long values, commits and rollbacks) on
    /// the FASTER engine, whose commands recycle their batches' arrays, read exactly as on the
    /// <see cref="MemoryEngine"/>, whose commands do not.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Transactions_on_recycled_batches_read_as_on_fresh_ones(int seed)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"tinykv-recycled-{Guid.NewGuid():N}");
        try
        {
            var random = new Random(seed);
            using var faster = FasterKvEngine.Open(new FasterKvOptions { Directory = directory });
            using var memory = new MemoryEngine();
            TxnStore[] stores = [new TxnStore(faster), new TxnStore(memory)];
            byte[][] keys = [.. Enumerable.Range(0, 16).Select(i => K(new string('k', 1 + (i % 4)) + (char)('a' + i)))];
            ulong ts = 10;
            for (int txn = 0; txn < 120; txn++)
            {
                var picked = keys.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToArray();
                var mutations = picked.Select(k => random.Next(5) == 0 ? Mutation.Delete(k) : Mutation.Put(k, Value(random))).ToArray();
                TimeStamp startTs = ts += 2;
                bool commit = random.Next(4) != 0;
                foreach (var store in stores)
                {
                    Assert.Empty(await store.PrewriteAsync(mutations, new TxnProps(startTs, picked[0], 1000)));
                    Assert.Null(commit ? await store.CommitAsync(startTs, picked, startTs.Next()) : await store.BatchRollbackAsync(startTs, picked));
                }

                byte[] probe = keys[random.Next(keys.Length)];
                Assert.True(
                    Describe(stores[1].Get(probe, ts + 1).Value) == Describe(stores[0].Get(probe, ts + 1).Value),
                    $"txn {txn}, key {Hex(probe)}; {TestSeed.Replay(seed)}");
            }

            var expected = stores[1].Scan([], null, ts + 1, 100);
            var actual = stores[0].Scan([], null, ts + 1, 100);
            Assert.True(
                expected.Select(p => Hex(p.Key) + "=" + Describe(p.Value)).SequenceEqual(actual.Select(p => Hex(p.Key) + "=" + Describe(p.Value))),
                TestSeed.Replay(seed));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Describe(byte[]? value) => value is null ? "none" : Hex(value);

    private static byte[] Value(Random random)
    {
        byte[] value = new byte[random.Next(3) == 0 ? 300 : random.Next(0, 20)];
        random.NextBytes(value);
        return value;
    }
}
