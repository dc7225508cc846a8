using System.Text;

namespace TinyKv.Storage.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IKvEngine"/>, run against every engine (TiKV's engine_traits_tests):
/// batches, point reads, snapshots, delete-range, limits and disposal. Iterators, ranges and
/// the randomized oracle comparison are in the other parts of this class.
/// </summary>
public abstract partial class KvEngineConformance : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>A new, empty engine; the suite disposes it.</summary>
    protected abstract IKvEngine CreateEngine();

    protected IKvEngine NewEngine()
    {
        var engine = CreateEngine();
        _owned.Add(engine);
        return engine;
    }

    public virtual void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    protected static async Task PutAsync(IKvEngine engine, ColumnFamily cf, string key, string value, bool sync = false) =>
        await engine.WriteAsync(new WriteBatch { Sync = sync }.Put(cf, B(key), B(value)));

    protected static byte[]? Get(IKvEngine engine, ColumnFamily cf, string key)
    {
        using var snapshot = engine.Snapshot();
        return snapshot.Get(cf, B(key));
    }

    public static TheoryData<ColumnFamily> AllCfs => [.. ColumnFamilies.All];

    [Theory]
    [MemberData(nameof(AllCfs))]
    public async Task Put_then_get_in_each_cf_is_isolated_from_the_others(ColumnFamily cf)
    {
        var engine = NewEngine();
        await PutAsync(engine, cf, "k", "v");

        Assert.Equal(B("v"), Get(engine, cf, "k"));
        foreach (var other in ColumnFamilies.All.Where(c => c != cf))
        {
            Assert.Null(Get(engine, other, "k"));
        }
    }

    [Fact]
    public async Task Empty_value_is_present_and_differs_from_a_missing_key()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, B("empty"), []));

        Assert.Equal(Array.Empty<byte>(), Get(engine, ColumnFamily.Default, "empty"));
        Assert.Null(Get(engine, ColumnFamily.Default, "missing"));
    }

    [Fact]
    public async Task Empty_key_is_a_valid_key()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, [], B("v")));

        using var snapshot = engine.Snapshot();
        Assert.Equal(B("v"), snapshot.Get(ColumnFamily.Lock, []));
    }

    [Fact]
    public async Task Delete_removes_and_deleting_a_missing_key_is_a_no_op()
    {
        var engine = NewEngine();
        await PutAsync(engine, ColumnFamily.Write, "a", "1");
        await engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Write, B("a")).Delete(ColumnFamily.Write, B("never")));

        Assert.Null(Get(engine, ColumnFamily.Write, "a"));
        Assert.Null(Get(engine, ColumnFamily.Write, "never"));
    }

    public static TheoryData<string, string?> OrderedOps => new()
    {
        { "put 1, put 2", "2" },
        { "put 1, delete", null },
        { "delete, put 1", "1" },
        { "put 1, delete, put 2", "2" },
        { "put 1, delete-range, put 3", "3" },
        { "put 1, put 2, delete-range", null },
    };

    [Theory]
    [MemberData(nameof(OrderedOps))]
    public async Task Operations_of_one_batch_apply_in_order(string script, string? expected)
    {
        var engine = NewEngine();
        var batch = new WriteBatch();
        foreach (string step in script.Split(", "))
        {
            _ = step switch
            {
                "delete" => batch.Delete(ColumnFamily.Default, B("k")),
                "delete-range" => batch.DeleteRange(ColumnFamily.Default, B("a"), B("z")),
                _ => batch.Put(ColumnFamily.Default, B("k"), B(step["put ".Length..])),
            };
        }

        await engine.WriteAsync(batch);

        Assert.Equal(expected is null ? null : B(expected), Get(engine, ColumnFamily.Default, "k"));
    }

    [Fact]
    public async Task A_batch_spans_column_families()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new WriteBatch { Sync = true }
            .Put(ColumnFamily.Default, B("k"), B("d"))
            .Put(ColumnFamily.Lock, B("k"), B("l"))
            .Put(ColumnFamily.Write, B("k"), B("w"))
            .Put(ColumnFamily.Meta, B("k"), B("m")));

        using var snapshot = engine.Snapshot();
        Assert.Equal(B("d"), snapshot.Get(ColumnFamily.Default, B("k")));
        Assert.Equal(B("l"), snapshot.Get(ColumnFamily.Lock, B("k")));
        Assert.Equal(B("w"), snapshot.Get(ColumnFamily.Write, B("k")));
        Assert.Equal(B("m"), snapshot.Get(ColumnFamily.Meta, B("k")));
    }

    [Fact]
    public async Task Empty_batch_is_accepted_synced_or_not()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new WriteBatch());
        await engine.WriteAsync(new WriteBatch { Sync = true });

        Assert.Null(Get(engine, ColumnFamily.Default, "k"));
    }

    [Fact]
    public async Task Snapshot_does_not_see_later_writes_and_sequences_grow()
    {
        var engine = NewEngine();
        await PutAsync(engine, ColumnFamily.Default, "k", "old");
        using var before = engine.Snapshot();
        await PutAsync(engine, ColumnFamily.Default, "k", "new");
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, B("other"), B("x")));
        using var after = engine.Snapshot();

        Assert.Equal(B("old"), before.Get(ColumnFamily.Default, B("k")));
        Assert.Null(before.Get(ColumnFamily.Default, B("other")));
        Assert.Equal(B("new"), after.Get(ColumnFamily.Default, B("k")));
        Assert.True(after.Sequence > before.Sequence, $"sequence {after.Sequence} should exceed {before.Sequence}");
    }

    [Fact]
    public async Task Snapshot_keeps_a_deleted_key_visible()
    {
        var engine = NewEngine();
        await PutAsync(engine, ColumnFamily.Write, "k", "v");
        using var before = engine.Snapshot();
        await engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Write, B("k")));
        await engine.WriteAsync(new WriteBatch().DeleteRange(ColumnFamily.Write, [], []));

        Assert.Equal(B("v"), before.Get(ColumnFamily.Write, B("k")));
        using var it = before.NewIterator(ColumnFamily.Write);
        it.SeekToFirst();
        Assert.True(it.Valid);
        Assert.Equal(B("k"), it.Key.ToArray());
    }

    [Fact]
    public async Task Snapshots_under_concurrent_writes_see_whole_batches_only()
    {
        var engine = NewEngine();
        const int Batches = 300;
        var writer = Task.Run(async () =>
        {
            for (int i = 1; i <= Batches; i++)
            {
                string v = i.ToString("D6");
                await engine.WriteAsync(new WriteBatch { Sync = i % 50 == 0 }
                    .Put(ColumnFamily.Default, B("a"), B(v))
                    .Put(ColumnFamily.Lock, B("b"), B(v))
                    .Put(ColumnFamily.Write, B("c"), B(v)));
            }
        });

        int observed = 0;
        while (!writer.IsCompleted || observed == 0)
        {
            using var snapshot = engine.Snapshot();
            var a = snapshot.Get(ColumnFamily.Default, B("a"));
            var b = snapshot.Get(ColumnFamily.Lock, B("b"));
            var c = snapshot.Get(ColumnFamily.Write, B("c"));
            Assert.Equal(a, b);
            Assert.Equal(a, c);
            observed++;
        }

        await writer;
        Assert.Equal(B(Batches.ToString("D6")), Get(engine, ColumnFamily.Default, "a"));
    }

    [Fact]
    public async Task Concurrent_writers_all_land()
    {
        var engine = NewEngine();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await engine.WriteAsync(new WriteBatch { Sync = i % 10 == 0 }.Put(ColumnFamily.Default, B($"w{w}-{i:D3}"), B($"{i}")));
            }
        }));
        await Task.WhenAll(writers);

        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Default);
        int count = 0;
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            count++;
        }

        Assert.Equal(800, count);
    }

    [Theory]
    [InlineData("b", "d", "a,d,e")]
    [InlineData("", "c", "c,d,e")]
    [InlineData("c", "", "a,b")]
    [InlineData("x", "z", "a,b,c,d,e")]
    [InlineData("", "", "")]
    public async Task Delete_range_removes_exactly_the_half_open_range(string start, string end, string remaining)
    {
        var engine = NewEngine();
        var fill = new WriteBatch();
        foreach (string k in new[] { "a", "b", "c", "d", "e" })
        {
            fill.Put(ColumnFamily.Default, B(k), B(k));
            fill.Put(ColumnFamily.Write, B(k), B(k));
        }

        await engine.WriteAsync(fill);
        await engine.WriteAsync(new WriteBatch().DeleteRange(ColumnFamily.Default, B(start), B(end)));

        Assert.Equal(remaining, string.Join(",", Keys(engine, ColumnFamily.Default)));
        Assert.Equal("a,b,c,d,e", string.Join(",", Keys(engine, ColumnFamily.Write)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    [InlineData(64 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    public async Task Values_of_any_size_round_trip(int size)
    {
        var engine = NewEngine();
        var value = new byte[size];
        new Random(size).NextBytes(value);
        await engine.WriteAsync(new WriteBatch { Sync = true }.Put(ColumnFamily.Default, B("big"), value));

        Assert.Equal(value, Get(engine, ColumnFamily.Default, "big"));
        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Default);
        it.SeekToFirst();
        Assert.Equal(value, it.Value.ToArray());
    }

    [Fact]
    public async Task Largest_allowed_key_is_accepted_and_oversized_input_is_rejected_before_writing()
    {
        var engine = NewEngine();
        var maxKey = new byte[StorageLimits.MaxKeySize];
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, maxKey, B("ok")));

        var batch = new WriteBatch().Put(ColumnFamily.Default, B("before"), B("v"));
        Assert.Throws<ArgumentException>(() => batch.Put(ColumnFamily.Default, new byte[StorageLimits.MaxKeySize + 1], B("v")));
        Assert.Throws<ArgumentException>(() => batch.Put(ColumnFamily.Default, B("k"), new byte[StorageLimits.MaxValueSize + 1]));
        Assert.Throws<ArgumentException>(() => batch.Delete(ColumnFamily.Default, new byte[StorageLimits.MaxKeySize + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Put((ColumnFamily)9, B("k"), B("v")));
        Assert.Equal(1, batch.Count);
        await engine.WriteAsync(batch);

        Assert.Equal(B("ok"), Get(engine, ColumnFamily.Default, Encoding.UTF8.GetString(maxKey)));
        Assert.Equal(B("v"), Get(engine, ColumnFamily.Default, "before"));
    }

    [Fact]
    public async Task Use_after_dispose_throws_ObjectDisposedException()
    {
        var engine = CreateEngine();
        await PutAsync(engine, ColumnFamily.Default, "k", "v");
        var snapshot = engine.Snapshot();
        var it = snapshot.NewIterator(ColumnFamily.Default);
        it.Dispose();
        Assert.Throws<ObjectDisposedException>(() => it.SeekToFirst());
        snapshot.Dispose();
        Assert.Throws<ObjectDisposedException>(() => snapshot.Get(ColumnFamily.Default, B("k")));
        Assert.Throws<ObjectDisposedException>(() => snapshot.NewIterator(ColumnFamily.Default));

        engine.Dispose();
        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => engine.Snapshot());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await engine.WriteAsync(new WriteBatch()));
        Assert.Throws<ObjectDisposedException>(() => engine.ApproximateSize([], []));
    }

    [Fact]
    public async Task A_cancelled_write_is_not_applied()
    {
        var engine = NewEngine();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, B("k"), B("v")), cts.Token));
        Assert.Null(Get(engine, ColumnFamily.Default, "k"));
    }

    protected static List<string> Keys(IKvEngine engine, ColumnFamily cf, IteratorOptions options = default)
    {
        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(cf, options);
        var keys = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            keys.Add(Encoding.UTF8.GetString(it.Key));
        }

        return keys;
    }
}
