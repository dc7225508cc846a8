using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Regions;
using TinyKv.TestKit;

namespace TinyKv.Scheduler.Tests;

public sealed class RegionTreeTests
{
    [Fact]
    public void Empty_tree_finds_nothing()
    {
        var tree = new RegionTree();
        Assert.Null(tree.Find(Build.Key("a")));
        Assert.Null(tree.Find([]));
        Assert.Equal(0, tree.Count);
    }

    [Fact]
    public void Whole_key_space_region_contains_every_key()
    {
        var tree = new RegionTree();
        var region = Build.Region(1, [], [], new RegionEpoch(1, 1), new Peer(1, 1));
        tree.Put(region);
        Assert.Same(region, tree.Find([]));
        Assert.Same(region, tree.Find([0xff, 0xff]));
    }

    [Theory]
    [InlineData("a", "c", "b", true)]
    [InlineData("a", "c", "a", true)]
    [InlineData("a", "c", "c", false)]
    [InlineData("b", "c", "a", false)]
    [InlineData("b", "", "zzz", true)]
    public void Find_respects_half_open_ranges(string start, string end, string key, bool found)
    {
        var tree = new RegionTree();
        tree.Put(Build.Region(1, Build.Key(start), Build.Key(end), default, new Peer(1, 1)));
        Assert.Equal(found, tree.Find(Build.Key(key)) is not null);
    }

    [Fact]
    public void Put_drops_every_overlapped_region_in_key_order()
    {
        var tree = new RegionTree();
        tree.Put(Build.Region(1, [], Build.Key("b"), default, new Peer(1, 1)));
        tree.Put(Build.Region(2, Build.Key("b"), Build.Key("d"), default, new Peer(2, 1)));
        tree.Put(Build.Region(3, Build.Key("d"), Build.Key("f"), default, new Peer(3, 1)));
        tree.Put(Build.Region(4, Build.Key("f"), [], default, new Peer(4, 1)));

        var dropped = new List<RegionInfo>();
        tree.Put(Build.Region(5, Build.Key("c"), Build.Key("e"), default, new Peer(5, 1)), dropped);

        Assert.Equal([2ul, 3ul], dropped.Select(r => r.Id));
        Assert.Equal([1ul, 5ul, 4ul], tree.InOrder().Select(r => r.Id));
        Assert.Null(tree.Find(Build.Key("b")));
        Assert.Equal(5ul, tree.Find(Build.Key("c"))!.Id);
        Assert.Null(tree.Find(Build.Key("e")));
    }

    [Fact]
    public void Put_of_a_known_id_with_a_new_range_replaces_the_older_version()
    {
        var tree = new RegionTree();
        tree.Put(Build.Region(1, [], Build.Key("b"), default, new Peer(1, 1)));
        var moved = Build.Region(1, Build.Key("x"), [], default, new Peer(1, 1));
        var dropped = new List<RegionInfo>();
        tree.Put(moved, dropped);
        Assert.Empty(dropped);
        Assert.Equal(1, tree.Count);
        Assert.Null(tree.Find(Build.Key("a")));
        Assert.Same(moved, tree.Get(1));
        Assert.Same(moved, tree.Find(Build.Key("y")));
    }

    [Fact]
    public void Neighbours_follow_key_order()
    {
        var tree = new RegionTree();
        var a = Build.Region(1, [], Build.Key("b"), default, new Peer(1, 1));
        var b = Build.Region(2, Build.Key("b"), Build.Key("d"), default, new Peer(2, 1));
        var c = Build.Region(3, Build.Key("x"), [], default, new Peer(3, 1));
        tree.Put(a);
        tree.Put(b);
        tree.Put(c);
        Assert.Null(tree.Previous(a));
        Assert.Same(b, tree.Next(a));
        Assert.Same(a, tree.Previous(b));
        Assert.Same(c, tree.Next(b));
        Assert.Null(tree.Next(c));
    }

    /// <summary>
    /// Random puts (which drop overlaps) and removes against a naive oracle: a list of regions
    /// scanned linearly. Checks lookups, overlaps, scans, neighbours and order after every step.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_a_linear_oracle(int seed, int keySpace, int maxWidth)
    {
        var random = new Random(seed);
        var tree = new RegionTree();
        var oracle = new List<RegionInfo>();
        ulong nextId = 1;
        for (int step = 0; step < 4000; step++)
        {
            // Removals come in bursts, so chunks shrink and merge as well as split.
            if (oracle.Count > 0 && random.Next(step % 1000 < 300 ? 2 : 5) == 0)
            {
                var victim = oracle[random.Next(oracle.Count)];
                Assert.True(tree.Remove(victim), TestSeed.Replay(seed));
                oracle.Remove(victim);
            }
            else
            {
                ulong a = (ulong)random.Next(0, keySpace);
                ulong b = a + (ulong)random.Next(1, maxWidth);
                var region = Build.Region(nextId++, Build.NumKey(a), random.Next(200) == 0 ? [] : Build.NumKey(b), default, new Peer(1, 1));
                var dropped = new List<RegionInfo>();
                tree.Put(region, dropped);
                var expectedDropped = oracle.Where(r => Overlaps(r, region)).OrderBy(r => r.StartKey, ByteComparer.Instance).ToList();
                Assert.Equal(expectedDropped.Select(r => r.Id), dropped.Select(r => r.Id));
                oracle.RemoveAll(r => Overlaps(r, region));
                oracle.Add(region);
            }

            Assert.Equal(oracle.Count, tree.Count);
            if (step % 50 == 0)
            {
                CheckAgainstOracle(tree, oracle, random, seed, keySpace);
            }
        }

        CheckAgainstOracle(tree, oracle, random, seed, keySpace);
    }

    /// <summary>Wide regions over a small key space (few chunks, many overlaps) and narrow ones over a large one (many chunks).</summary>
    public static TheoryData<int, int, int> Cases()
    {
        var cases = new TheoryData<int, int, int>();
        foreach (int seed in TestSeed.Seeds(3))
        {
            cases.Add(seed, 5000, 40);
            cases.Add(seed, 100_000, 3);
        }

        return cases;
    }

    private static void CheckAgainstOracle(RegionTree tree, List<RegionInfo> oracle, Random random, int seed, int keySpace)
    {
        tree.CheckInvariants();
        var sorted = oracle.OrderBy(r => r.StartKey, ByteComparer.Instance).ToList();
        Assert.Equal(sorted.Select(r => r.Id), tree.InOrder().Select(r => r.Id));
        for (int i = 0; i < sorted.Count; i++)
        {
            Assert.Equal(i == 0 ? null : sorted[i - 1].Id, tree.Previous(sorted[i])?.Id);
            Assert.Equal(i == sorted.Count - 1 ? null : sorted[i + 1].Id, tree.Next(sorted[i])?.Id);
        }

        for (int q = 0; q < 200; q++)
        {
            var key = Build.NumKey((ulong)random.Next(0, keySpace + 100));
            var expected = oracle.FirstOrDefault(r => r.Contains(key));
            Assert.True(expected?.Id == tree.Find(key)?.Id, $"lookup of {Convert.ToHexString(key)}: {TestSeed.Replay(seed)}");

            ulong a = (ulong)random.Next(0, keySpace + 100);
            var start = Build.NumKey(a);
            var end = random.Next(10) == 0 ? [] : Build.NumKey(a + (ulong)random.Next(1, 100));
            var probe = Build.Region(0, start, end, default);
            var overlaps = new List<RegionInfo>();
            tree.Overlaps(start, end, overlaps);
            Assert.Equal(sorted.Where(r => Overlaps(r, probe)).Select(r => r.Id), overlaps.Select(r => r.Id));

            var scanned = new List<RegionInfo>();
            tree.Scan(start, 5, scanned);
            Assert.Equal(sorted.Where(r => r.EndKey.Length == 0 || ByteComparer.Instance.Compare(r.EndKey, start) > 0).Take(5).Select(r => r.Id), scanned.Select(r => r.Id));
        }
    }

    private static bool Overlaps(RegionInfo a, RegionInfo b) =>
        (a.EndKey.Length == 0 || ByteComparer.Instance.Compare(b.StartKey, a.EndKey) < 0)
        && (b.EndKey.Length == 0 || ByteComparer.Instance.Compare(a.StartKey, b.EndKey) < 0);

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
