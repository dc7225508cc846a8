using System.Text;

namespace TinyKv.Storage.Tests.Conformance;

public abstract partial class KvEngineConformance
{
    private async Task<IKvEngine> FilledAsync(params string[] keys)
    {
        var engine = NewEngine();
        var batch = new WriteBatch();
        foreach (string k in keys)
        {
            batch.Put(ColumnFamily.Default, B(k), B("v" + k));
        }

        await engine.WriteAsync(batch);
        return engine;
    }

    private static string? At(IKvIterator it) => it.Valid ? Encoding.UTF8.GetString(it.Key) : null;

    [Fact]
    public async Task Iterator_walks_both_directions_in_byte_order()
    {
        var engine = await FilledAsync("b", "a", "c", "ab", "\u00ff");
        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Default);

        var forward = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            forward.Add(At(it)!);
            Assert.Equal(B("v" + At(it)), it.Value.ToArray());
        }

        var backward = new List<string>();
        for (it.SeekToLast(); it.Valid; it.Prev())
        {
            backward.Add(At(it)!);
        }

        Assert.Equal(["a", "ab", "b", "c", "\u00ff"], forward);
        Assert.Equal(["\u00ff", "c", "b", "ab", "a"], backward);
    }

    public static TheoryData<string?, string?, string, string?, string?> Seeks => new()
    {
        // lower, upper, target, Seek lands on, SeekForPrev lands on
        { null, null, "b", "b", "b" },
        { null, null, "bb", "c", "b" },
        { null, null, "0", "a", null },
        { null, null, "z", null, "e" },
        { "b", "d", "a", "b", null },
        { "b", "d", "d", null, "c" },
        { "b", "d", "z", null, "c" },
        { "b", "d", "c", "c", "c" },
        { "bb", "cc", "b", "c", null },
        { "bb", "cc", "bz", "c", null },
        { "b", "", "z", null, "e" },
        { "a", "a", "a", null, null },
    };

    [Theory]
    [MemberData(nameof(Seeks))]
    public async Task Seek_and_SeekForPrev_honour_bounds(string? lower, string? upper, string target, string? seek, string? seekForPrev)
    {
        var engine = await FilledAsync("a", "b", "c", "d", "e");
        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Default, new IteratorOptions(lower is null ? null : B(lower), upper is null ? null : B(upper)));

        it.Seek(B(target));
        Assert.Equal(seek, At(it));
        it.SeekForPrev(B(target));
        Assert.Equal(seekForPrev, At(it));
    }

    [Fact]
    public async Task Bounded_iteration_stops_at_the_bounds_in_both_directions()
    {
        var engine = await FilledAsync("a", "b", "c", "d", "e");
        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Default, new IteratorOptions(B("b"), B("d")));

        it.SeekToFirst();
        Assert.Equal("b", At(it));
        it.Next();
        Assert.Equal("c", At(it));
        it.Next();
        Assert.False(it.Valid);

        it.SeekToLast();
        Assert.Equal("c", At(it));
        it.Prev();
        Assert.Equal("b", At(it));
        it.Prev();
        Assert.False(it.Valid);
    }

    [Fact]
    public async Task Direction_changes_mid_walk()
    {
        var engine = await FilledAsync("a", "b", "c", "d");
        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Default);

        it.Seek(B("b"));
        it.Next();
        Assert.Equal("c", At(it));
        it.Prev();
        Assert.Equal("b", At(it));
        it.Prev();
        Assert.Equal("a", At(it));
        it.Next();
        Assert.Equal("b", At(it));
    }

    [Fact]
    public async Task Iterator_on_an_empty_cf_is_never_valid_and_guards_its_accessors()
    {
        var engine = await FilledAsync("a");
        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Lock);

        Assert.False(it.Valid);
        it.SeekToFirst();
        Assert.False(it.Valid);
        it.SeekToLast();
        Assert.False(it.Valid);
        it.Seek(B("a"));
        Assert.False(it.Valid);
        Assert.Throws<InvalidOperationException>(() => it.Next());
        Assert.Throws<InvalidOperationException>(() => it.Prev());
        Assert.Throws<InvalidOperationException>(() => it.Key.ToArray());
    }

    [Fact]
    public async Task Iterator_skips_deleted_keys_and_sees_its_snapshot_only()
    {
        var engine = await FilledAsync("a", "b", "c", "d");
        await engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Default, B("b")));
        using var snapshot = engine.Snapshot();
        await engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Default, B("c")).Put(ColumnFamily.Default, B("bb"), B("new")));
        using var it = snapshot.NewIterator(ColumnFamily.Default);

        var keys = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            keys.Add(At(it)!);
        }

        Assert.Equal(["a", "c", "d"], keys);
        it.SeekForPrev(B("bz"));
        Assert.Equal("a", At(it));
    }

    [Fact]
    public async Task Approximate_size_counts_data_cfs_in_range_only()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new WriteBatch()
            .Put(ColumnFamily.Default, B("a"), new byte[100])
            .Put(ColumnFamily.Write, B("b"), new byte[50])
            .Put(ColumnFamily.Lock, B("c"), new byte[10])
            .Put(ColumnFamily.Meta, B("b"), new byte[1000])
            .Put(ColumnFamily.Default, B("z"), new byte[7]));

        Assert.Equal(101 + 51 + 11 + 8, engine.ApproximateSize([], []));
        Assert.Equal(51 + 11, engine.ApproximateSize(B("b"), B("d")));
        Assert.Equal(0, engine.ApproximateSize(B("d"), B("y")));
    }

    [Fact]
    public async Task Split_key_halves_a_range_by_size_and_is_strictly_inside()
    {
        var engine = NewEngine();
        var batch = new WriteBatch();
        for (int i = 0; i < 100; i++)
        {
            batch.Put(i % 2 == 0 ? ColumnFamily.Default : ColumnFamily.Write, B($"k{i:D3}"), new byte[100]);
        }

        await engine.WriteAsync(batch);

        var split = engine.SplitKey([], []);
        Assert.NotNull(split);
        string key = Encoding.UTF8.GetString(split);
        Assert.InRange(string.CompareOrdinal(key, "k045"), 0, int.MaxValue);
        Assert.InRange(string.CompareOrdinal(key, "k055"), int.MinValue, 0);
        Assert.Null(engine.SplitKey(B("x"), B("y")));
        Assert.Null(engine.SplitKey(B("k010"), B("k011")));
    }
}
