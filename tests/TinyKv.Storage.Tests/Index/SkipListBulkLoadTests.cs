using TinyKv.Storage.Index;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Index;

/// <summary>
/// An index in bulk load (a replay) against an oracle, used as the engine uses it: every insert is
/// preceded by a lookup of its key. Ascending inserts keep the lookup table deferred; a lookup of a
/// key at or below the largest, an out-of-order insert or a removal builds it, and from then on
/// (and after the load ends) every lookup, seek and walk answers like the oracle.
/// </summary>
public sealed class SkipListBulkLoadTests
{
    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(20)];

    [Fact]
    public void Ascending_inserts_defer_the_table_until_the_load_ends()
    {
        var index = new SkipList(bulkLoad: true);
        var oracle = NewOracle();
        for (int i = 0; i < 5_000; i++)
        {
            var key = BitConverter.GetBytes(i).Reverse().ToArray();
            Assert.Null(index.Find(key));
            Add(index, oracle, key);
        }

        Assert.False(index.HasLookupTable);
        index.EndBulkLoad();
        Assert.True(index.HasLookupTable);
        SkipListPropertyTests.Check(index, oracle, new Random(1), "after the load");
    }

    [Theory]
    [InlineData("lookup of an existing key")]
    [InlineData("lookup of a smaller absent key")]
    [InlineData("out-of-order insert")]
    [InlineData("removal")]
    public void The_first_step_that_needs_the_table_builds_it(string step)
    {
        var index = new SkipList(bulkLoad: true);
        var oracle = NewOracle();
        foreach (byte b in new byte[] { 2, 4, 6, 8 })
        {
            Add(index, oracle, [b]);
        }

        Assert.False(index.HasLookupTable);
        switch (step)
        {
            case "lookup of an existing key":
                Assert.Same(oracle[[4]], index.Find([4]));
                break;
            case "lookup of a smaller absent key":
                Assert.Null(index.Find([5]));
                break;
            case "out-of-order insert":
                Add(index, oracle, [3]);
                break;
            default:
                index.Remove(oracle[[6]]);
                oracle.Remove([6]);
                break;
        }

        Assert.True(index.HasLookupTable, step);
        Add(index, oracle, [9]);
        SkipListPropertyTests.Check(index, oracle, new Random(2), step);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_bulk_load_answers_like_a_sorted_dictionary(int seed)
    {
        var random = new Random(seed);
        var index = new SkipList(bulkLoad: true);
        var oracle = NewOracle();
        var next = 0;
        for (int step = 0; step < 400; step++)
        {
            string context = $"{TestSeed.Replay(seed)}, step {step}";
            byte[] key = random.Next(20) switch
            {
                0 => BigEndian(random.Next(next + 1)),
                1 when oracle.Count > 0 => oracle.Keys.ElementAt(random.Next(oracle.Count)),
                _ => BigEndian(next += random.Next(1, 4)),
            };

            var found = index.Find(key);
            Assert.True(ReferenceEquals(oracle.GetValueOrDefault(key), found), $"{context}: lookup of {Convert.ToHexString(key)}");
            if (found is null)
            {
                Add(index, oracle, key);
            }
            else if (random.Next(4) == 0)
            {
                index.Remove(found);
                oracle.Remove(key);
            }
        }

        index.EndBulkLoad();
        SkipListPropertyTests.Check(index, oracle, random, $"{TestSeed.Replay(seed)}, after the load");
    }

    private static SortedDictionary<byte[], MvccEntry> NewOracle() =>
        new(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));

    private static byte[] BigEndian(int n) => [(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n];

    private static void Add(SkipList index, SortedDictionary<byte[], MvccEntry> oracle, byte[] key)
    {
        var entry = MvccEntry.Inline(key, 1, key);
        index.Add(entry);
        oracle.Add(key, entry);
    }
}
