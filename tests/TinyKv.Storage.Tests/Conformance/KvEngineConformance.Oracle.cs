using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Conformance;

public abstract partial class KvEngineConformance
{
    public static TheoryData<int> OracleSeeds => [.. TestSeed.Seeds(6)];

    /// <summary>
    /// Random batches over a small key space against a naive oracle (a sorted dictionary per CF):
    /// after every batch, and for snapshots held across later batches, point reads, full scans in
    /// both directions and random bounded seeks agree.
    /// </summary>
    [Theory]
    [MemberData(nameof(OracleSeeds))]
    public async Task Random_batches_agree_with_a_naive_oracle(int seed)
    {
        var random = new Random(seed);
        var engine = NewEngine();
        var oracle = new Oracle();
        var held = new List<(IKvSnapshot Snapshot, Oracle Expected)>();
        try
        {
            for (int round = 0; round < 120; round++)
            {
                var batch = RandomBatch(random, oracle);
                await engine.WriteAsync(batch);
                if (random.Next(10) == 0)
                {
                    held.Add((engine.Snapshot(), oracle.Clone()));
                }

                using var snapshot = engine.Snapshot();
                Check(snapshot, oracle, random, $"{TestSeed.Replay(seed)}, round {round}");
            }

            foreach (var (snapshot, expected) in held)
            {
                Check(snapshot, expected, random, $"{TestSeed.Replay(seed)}, held snapshot {snapshot.Sequence}");
            }
        }
        finally
        {
            foreach (var (snapshot, _) in held)
            {
                snapshot.Dispose();
            }
        }
    }

    internal static WriteBatch RandomBatch(Random random, Oracle oracle)
    {
        var batch = new WriteBatch { Sync = random.Next(4) == 0 };
        int ops = random.Next(1, 6);
        for (int i = 0; i < ops; i++)
        {
            var cf = ColumnFamilies.All[random.Next(ColumnFamilies.All.Count)];
            byte[] key = RandomKey(random);
            switch (random.Next(10))
            {
                case < 6:
                    var value = new byte[random.Next(4) == 0 ? random.Next(129, 600) : random.Next(0, 40)];
                    random.NextBytes(value);
                    batch.Put(cf, key, value);
                    oracle.Put(cf, key, value);
                    break;
                case < 9:
                    batch.Delete(cf, key);
                    oracle.Delete(cf, key);
                    break;
                default:
                    byte[] end = RandomKey(random);
                    if (end.AsSpan().SequenceCompareTo(key) < 0)
                    {
                        (key, end) = (end, key);
                    }

                    batch.DeleteRange(cf, key, end);
                    oracle.DeleteRange(cf, key, end);
                    break;
            }
        }

        return batch;
    }

    private static byte[] RandomKey(Random random) => random.Next(40) == 0 ? [] : [(byte)random.Next(0, 3), (byte)random.Next(0, 30)];

    private static void Check(IKvSnapshot snapshot, Oracle oracle, Random random, string context)
    {
        foreach (var cf in ColumnFamilies.All)
        {
            var expected = oracle.Entries(cf);
            using var it = snapshot.NewIterator(cf);
            var forward = new List<(byte[], byte[])>();
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                forward.Add((it.Key.ToArray(), it.Value.ToArray()));
            }

            Assert.True(Same(expected, forward), $"{context}: forward scan of {cf} differs");
            var backward = new List<(byte[], byte[])>();
            for (it.SeekToLast(); it.Valid; it.Prev())
            {
                backward.Add((it.Key.ToArray(), it.Value.ToArray()));
            }

            backward.Reverse();
            Assert.True(Same(expected, backward), $"{context}: backward scan of {cf} differs");

            byte[] probe = RandomKey(random);
            Assert.True(Equal(oracle.Get(cf, probe), snapshot.Get(cf, probe)), $"{context}: get in {cf} differs");
            byte[] lower = RandomKey(random);
            byte[] upper = RandomKey(random);
            using var bounded = snapshot.NewIterator(cf, new IteratorOptions(lower, upper));
            var inBounds = expected.Where(e => e.Key.AsSpan().SequenceCompareTo(lower) >= 0 && (upper.Length == 0 || e.Key.AsSpan().SequenceCompareTo(upper) < 0)).ToList();
            bounded.Seek(probe);
            var seekExpected = inBounds.FirstOrDefault(e => e.Key.AsSpan().SequenceCompareTo(probe) >= 0).Key;
            Assert.True(Equal(seekExpected, bounded.Valid ? bounded.Key.ToArray() : null), $"{context}: bounded Seek in {cf} differs");
            bounded.SeekForPrev(probe);
            var prevExpected = inBounds.LastOrDefault(e => e.Key.AsSpan().SequenceCompareTo(probe) <= 0).Key;
            Assert.True(Equal(prevExpected, bounded.Valid ? bounded.Key.ToArray() : null), $"{context}: bounded SeekForPrev in {cf} differs");
        }
    }

    private static bool Same(List<KeyValuePair<byte[], byte[]>> expected, List<(byte[] Key, byte[] Value)> actual) =>
        expected.Count == actual.Count && expected.Zip(actual).All(p => p.First.Key.AsSpan().SequenceEqual(p.Second.Key) && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));

    private static bool Equal(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>The naive model: one sorted dictionary per column family.</summary>
    internal sealed class Oracle
    {
        private readonly SortedDictionary<byte[], byte[]>[] _cfs =
            [.. ColumnFamilies.All.Select(_ => new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance))];

        public void Put(ColumnFamily cf, byte[] key, byte[] value) => _cfs[(int)cf][key] = value;

        public void Delete(ColumnFamily cf, byte[] key) => _cfs[(int)cf].Remove(key);

        public void DeleteRange(ColumnFamily cf, byte[] start, byte[] end)
        {
            foreach (var key in _cfs[(int)cf].Keys.Where(k => k.AsSpan().SequenceCompareTo(start) >= 0 && (end.Length == 0 || k.AsSpan().SequenceCompareTo(end) < 0)).ToList())
            {
                _cfs[(int)cf].Remove(key);
            }
        }

        public byte[]? Get(ColumnFamily cf, byte[] key) => _cfs[(int)cf].GetValueOrDefault(key);

        public List<KeyValuePair<byte[], byte[]>> Entries(ColumnFamily cf) => [.. _cfs[(int)cf]];

        public Oracle Clone()
        {
            var copy = new Oracle();
            for (int i = 0; i < _cfs.Length; i++)
            {
                foreach (var (k, v) in _cfs[i])
                {
                    copy._cfs[i][k] = v;
                }
            }

            return copy;
        }
    }
}
