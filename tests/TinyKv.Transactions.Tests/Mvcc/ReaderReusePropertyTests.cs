using TinyKv.Storage.Faster;
using TinyKv.TestKit;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Mvcc;

/// <summary>
/// One reader answering many CF write lookups in any order (its one write cursor re-seeked
/// forward and backward, or left after stepping through versions) gives the answers a fresh
/// reader gives for each lookup alone.
/// </summary>
public sealed class ReaderReusePropertyTests
{
    public static IEnumerable<object[]> Seeds() => TestSeed.Seeds(20).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_reused_reader_answers_as_a_fresh_one(int seed)
    {
        var random = new Random(seed);
        using var db = new Percolator(shortValueMaxLength: Lock.ShortValueMaxLength);
        byte[][] keys = [.. Enumerable.Range(0, 12).Select(i => K($"k{i:D2}"))];
        foreach (byte[] key in keys)
        {
            int versions = random.Next(0, 20);
            ulong ts = 10;
            for (int v = 0; v < versions; v++)
            {
                ulong startTs = ts + (ulong)random.Next(1, 4);
                ulong commitTs = startTs + (ulong)random.Next(0, 3);
                var kind = (WriteKind)random.Next(1, 5);
                var write = kind == WriteKind.Rollback
                    ? new Write(kind, commitTs)
                    : new Write(kind, startTs, ShortValue: kind == WriteKind.Put ? [(byte)v] : null);
                await db.SeedWriteAsync(key, commitTs, write);
                ts = commitTs + 1;
            }
        }

        using var snapshot = db.Engine.Snapshot();
        using var reused = new MvccReader(snapshot);
        for (int query = 0; query < 300; query++)
        {
            byte[] encoded = MvccKey.Encode(keys[random.Next(keys.Length)]);
            TimeStamp ts = random.Next(4) == 0 ? TimeStamp.Max : (ulong)random.Next(0, 90);
            using var fresh = new MvccReader(snapshot);
            string what = $"query {query} ({Convert.ToHexString(encoded)} at {ts}); {TestSeed.Replay(seed)}";
            switch (random.Next(4))
            {
                case 0:
                    Assert.True(fresh.SeekWrite(encoded, ts) == reused.SeekWrite(encoded, ts), what);
                    break;
                case 1:
                    Assert.True(fresh.GetWrite(encoded, ts) == reused.GetWrite(encoded, ts), what);
                    break;
                case 2:
                    Assert.True(fresh.GetTxnCommitRecord(encoded, ts) == reused.GetTxnCommitRecord(encoded, ts), what);
                    break;
                default:
                    Assert.True(fresh.GetValue(encoded, ts).AsSpan().SequenceEqual(reused.GetValue(encoded, ts)), what);
                    break;
            }
        }
    }

    [Fact]
    public async Task Keys_with_and_without_records_are_found_in_ascending_order_on_the_faster_engine()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"tinykv-reader-reuse-{Guid.NewGuid():N}");
        try
        {
            using var engine = FasterKvEngine.Open(new FasterKvOptions { Directory = directory });
            var store = new TinyKv.Transactions.Commands.TxnStore(engine);
            byte[][] keys = [.. Enumerable.Range(0, 40).Select(i => K($"user{i:D4}"))];
            for (int i = 0; i < keys.Length; i += 2)
            {
                Assert.Empty(await store.PrewriteAsync([Mutation.Put(keys[i], [1])], new TxnProps(10, keys[i], 1000)));
                Assert.Null(await store.CommitAsync(10, [keys[i]], 11));
            }

            using var snapshot = engine.Snapshot();
            using var reader = new MvccReader(snapshot);
            for (int i = 0; i < keys.Length; i++)
            {
                var found = reader.SeekWrite(MvccKey.Encode(keys[i]), TimeStamp.Max);
                Assert.Equal(i % 2 == 0 ? new TimeStamp(11) : null, found?.CommitTs);
            }

            Assert.Empty(await store.PrewriteAsync([.. keys.Select(k => Mutation.Put(k, [2]))], new TxnProps(20, keys[0], 1000)));
            Assert.Null(await store.CommitAsync(20, keys, 21));
            Assert.Equal(keys.Length, store.Scan([], null, 30, 100).Count(pair => pair.Value is [2]));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
