using TinyKv.Storage;
using TinyKv.Storage.Faster;
using TinyKv.Storage.Memory;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Commands;
using TinyKv.Transactions.Mvcc;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Mvcc;

/// <summary>
/// <see cref="IKvBorrowedReads"/> on the FASTER engine lends exactly what a copying snapshot get
/// returns, never changes it, and a reader that borrows parses the same locks as one that copies.
/// </summary>
public sealed class BorrowedReadTests : IDisposable
{
    private const int ValueThreshold = 32;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"tinykv-borrowed-{Guid.NewGuid():N}");
    private readonly FasterKvEngine _engine;

    public BorrowedReadTests() =>
        _engine = FasterKvEngine.Open(new FasterKvOptions { Directory = _directory, ValueThreshold = ValueThreshold });

    public void Dispose()
    {
        _engine.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<string, int?> Values => new()
    {
        { "inline", 5 },
        { "empty", 0 },
        { "in the value store", ValueThreshold + 1 },
        { "missing", null },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task A_borrowed_value_equals_the_copied_one(string what, int? length)
    {
        byte[] key = K(what);
        if (length is { } n)
        {
            await _engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, key, Pattern(n)));
        }

        using var snapshot = _engine.Snapshot();
        bool found = _engine.TryBorrow(snapshot, ColumnFamily.Lock, key, out var value);

        Assert.Equal(length is not null, found);
        Assert.Equal(snapshot.Get(ColumnFamily.Lock, key), found ? value.ToArray() : null);
    }

    [Fact]
    public async Task A_deleted_key_and_a_key_written_after_the_snapshot_are_not_found()
    {
        byte[] deleted = K("deleted"), later = K("later");
        await _engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, deleted, [1]));
        await _engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Lock, deleted));
        using var snapshot = _engine.Snapshot();
        await _engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, later, [2]));

        Assert.False(_engine.TryBorrow(snapshot, ColumnFamily.Lock, deleted, out _));
        Assert.False(_engine.TryBorrow(snapshot, ColumnFamily.Lock, later, out _));
    }

    [Fact]
    public async Task A_snapshot_keeps_lending_its_version_after_the_key_is_overwritten_and_deleted()
    {
        byte[] key = K("k");
        await _engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, key, Pattern(8)));
        using var snapshot = _engine.Snapshot();
        await _engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, key, new byte[8]));
        await _engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Lock, key));

        Assert.True(_engine.TryBorrow(snapshot, ColumnFamily.Lock, key, out var value));
        Assert.Equal(Pattern(8), value.ToArray());
    }

    [Fact]
    public void A_snapshot_of_another_engine_or_a_disposed_one_is_refused()
    {
        using var other = new MemoryEngine();
        using var foreign = other.Snapshot();
        var disposed = _engine.Snapshot();
        disposed.Dispose();

        Assert.Throws<ArgumentException>(() => _engine.TryBorrow(foreign, ColumnFamily.Lock, K("k"), out _));
        Assert.Throws<ObjectDisposedException>(() => _engine.TryBorrow(disposed, ColumnFamily.Lock, K("k"), out _));
    }

    [Fact]
    public async Task Without_a_lending_engine_TryGet_reads_a_copy()
    {
        using var engine = new MemoryEngine();
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Lock, K("k"), [7]));
        using var snapshot = engine.Snapshot();

        Assert.True(IKvBorrowedReads.TryGet(null, snapshot, ColumnFamily.Lock, K("k"), out var value));
        Assert.Equal([7], value.ToArray());
        Assert.False(IKvBorrowedReads.TryGet(null, snapshot, ColumnFamily.Lock, K("none"), out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Lock.ShortValueMaxLength)]
    public async Task A_borrowing_reader_parses_the_same_lock_as_a_copying_one(int valueLength)
    {
        var store = new TxnStore(_engine);
        byte[] key = K("locked"), primary = K("primary");
        Assert.Empty(await store.PrewriteAsync([Mutation.Put(key, Pattern(valueLength))], new TxnProps(10, primary, 3000, 12)));

        using var snapshot = _engine.Snapshot();
        using var borrowing = new MvccReader(snapshot, _engine);
        using var copying = new MvccReader(snapshot);
        byte[] encoded = MvccKey.Encode(key);

        Assert.True(borrowing.TryLoadLock(encoded, out var borrowed));
        Assert.Equal(copying.LoadLock(encoded), borrowed.ToLock());
        Assert.Equal(Pattern(valueLength), borrowed.ToLock().ShortValue);
    }

    private static byte[] Pattern(int length) => [.. Enumerable.Range(1, length).Select(i => (byte)i)];
}
