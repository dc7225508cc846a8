using TinyKv.Storage.Index;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Index;

/// <summary>
/// The ordered index against an oracle (a sorted dictionary): random adds in ascending runs (the
/// finger path), descending runs and random order, removals in between, and after every step the
/// same answers from exact lookup, seeks in both directions, first, last and a full walk.
/// </summary>
public sealed class SkipListPropertyTests
{
    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Index_answers_like_a_sorted_dictionary(int seed)
    {
        var random = new Random(seed);
        var index = new SkipList();
        var arena = seed % 2 == 0 ? new EntryArena() : null;
        var oracle = new SortedDictionary<byte[], MvccEntry>(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        for (int step = 0; step < 60; step++)
        {
            string context = $"{TestSeed.Replay(seed)}, step {step}";
            switch (random.Next(4))
            {
                case 0:
                    AddRun(index, oracle, arena, random, ascending: true);
                    break;
                case 1:
                    AddRun(index, oracle, arena, random, ascending: false);
                    break;
                case 2:
                    for (int i = random.Next(1, 40); i > 0; i--)
                    {
                        Add(index, oracle, arena, RandomKey(random));
                    }

                    break;
                default:
                    foreach (var key in oracle.Keys.Where(_ => random.Next(3) == 0).ToList())
                    {
                        index.Remove(oracle[key]);
                        oracle.Remove(key);
                    }

                    break;
            }

            Check(index, oracle, random, context);
        }
    }

    [Fact]
    public void An_entry_keeps_its_key_and_first_value_in_one_array()
    {
        var entry = MvccEntry.Inline([1, 2, 3], 7, [9, 8]);
        var stored = MvccEntry.Stored([4], 8, valueId: 5, length: 1000);

        Assert.Equal([1, 2, 3], entry.Key.ToArray());
        Assert.True(entry.IsInline);
        Assert.Equal([9, 8], entry.InlineValue.ToArray());
        Assert.Same(entry, entry.Head);
        Assert.Same(entry, entry.Visible(7));
        Assert.Null(entry.Visible(6));
        Assert.Equal([4], stored.Key.ToArray());
        Assert.False(stored.IsInline);
        Assert.True(stored.InlineValue.IsEmpty);
        Assert.Equal((5L, 1000), (stored.ValueId, stored.Length));
    }

    [Fact]
    public void Entries_from_an_arena_share_its_chunks_and_keep_their_own_bytes()
    {
        var arena = new EntryArena();
        var first = MvccEntry.Inline([1, 2], 1, [3]);
        var entries = Enumerable.Range(0, 1000).Select(i => MvccEntry.Inline([(byte)i, 7], 1, [(byte)(i * 3)], arena)).ToList();
        var stored = MvccEntry.Stored([9, 9, 9], 2, valueId: 4, length: 500, arena);
        var large = MvccEntry.Inline(new byte[100_000], 3, [5], arena);

        Assert.Equal([1, 2], first.Key.ToArray());
        for (int i = 0; i < entries.Count; i++)
        {
            Assert.Equal([(byte)i, 7], entries[i].Key.ToArray());
            Assert.Equal([(byte)(i * 3)], entries[i].InlineValue.ToArray());
        }

        Assert.Equal([9, 9, 9], stored.Key.ToArray());
        Assert.True(stored.InlineValue.IsEmpty);
        Assert.Equal(100_000, large.Key.Length);
        Assert.Equal([5], large.InlineValue.ToArray());
    }

    [Fact]
    public void Newer_versions_chain_down_to_the_entry_itself()
    {
        var entry = MvccEntry.Inline([1], 3, [30]);
        var put = MvccVersion.Inline(5, [50], entry);
        entry.Head = MvccVersion.Tombstone(9, put);

        Assert.True(entry.Visible(9)!.IsTombstone);
        Assert.Equal([50], entry.Visible(8)!.InlineValue.ToArray());
        Assert.Same(entry, entry.Visible(4));
        Assert.Null(entry.Visible(2));
    }

    private static void AddRun(SkipList index, SortedDictionary<byte[], MvccEntry> oracle, EntryArena? arena, Random random, bool ascending)
    {
        var start = RandomKey(random);
        int length = random.Next(1, 200);
        for (int i = 0; i < length; i++)
        {
            var key = new byte[start.Length + 2];
            start.CopyTo(key, 0);
            int n = ascending ? i : length - i;
            key[^2] = (byte)(n >> 8);
            key[^1] = (byte)n;
            Add(index, oracle, arena, key);
        }
    }

    private static void Add(SkipList index, SortedDictionary<byte[], MvccEntry> oracle, EntryArena? arena, byte[] key)
    {
        if (oracle.ContainsKey(key))
        {
            return;
        }

        var entry = MvccEntry.Inline(key, 1, key, arena);
        index.Add(entry);
        oracle.Add(key, entry);
    }

    /// <summary>Short keys from a small alphabet, so prefixes, neighbours and empty keys are common.</summary>
    private static byte[] RandomKey(Random random)
    {
        var key = new byte[random.Next(0, 4)];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)random.Next(0, 4);
        }

        return key;
    }

    internal static void Check(SkipList index, SortedDictionary<byte[], MvccEntry> oracle, Random random, string context)
    {
        Assert.True(oracle.Count == index.Count, $"{context}: count {index.Count}, expected {oracle.Count}");
        var walked = new List<MvccEntry>();
        for (var e = index.First(); e is not null; e = index.Next(e))
        {
            walked.Add(e);
        }

        Assert.True(oracle.Values.SequenceEqual(walked), $"{context}: walk differs");
        Assert.All(walked, e => Assert.True(e.InlineValue.SequenceEqual(e.Key), $"{context}: value of {Convert.ToHexString(e.Key)}"));
        Assert.Same(oracle.Values.LastOrDefault(), index.Last());
        foreach (var (key, entry) in oracle)
        {
            Assert.True(ReferenceEquals(entry, index.Find(key)), $"{context}: lookup of {Convert.ToHexString(key)}");
        }

        for (int probe = 0; probe < 30; probe++)
        {
            var key = RandomKey(random);
            var ge = oracle.Values.FirstOrDefault(e => e.Key.SequenceCompareTo(key) >= 0);
            var lt = oracle.Values.LastOrDefault(e => e.Key.SequenceCompareTo(key) < 0);
            string at = $"{context}, probe {Convert.ToHexString(key)}";
            Assert.True(ReferenceEquals(oracle.GetValueOrDefault(key), index.Find(key)), $"{at}: lookup");
            Assert.True(ReferenceEquals(ge, index.SeekGreaterOrEqual(key)), $"{at}: seek >=");
            Assert.True(ReferenceEquals(lt, index.SeekLessThan(key)), $"{at}: seek <");
        }
    }
}
