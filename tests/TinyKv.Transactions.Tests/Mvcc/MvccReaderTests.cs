using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Mvcc;

/// <summary>TinyKV 4A: the reader's lock, value and write lookups over the three fixtures.</summary>
public sealed class MvccReaderTests : IDisposable
{
    private static readonly byte[] Key = [16, 240];
    private readonly Percolator _db = new();

    public enum Fixture
    {
        Single,
        Two,
        Deleted,
    }

    [Fact]
    public async Task LoadLock_returns_the_stored_lock_or_null()
    {
        var @lock = new Lock(LockKind.Put, [16], 100, 100000);
        await _db.SeedLockAsync(Key, @lock);
        using var reader = Reader();
        Assert.Equal(@lock, reader.LoadLock(MvccKey.Encode(Key)));
        Assert.Null(reader.LoadLock(MvccKey.Encode([16])));
    }

    [Theory]
    [InlineData(Fixture.Single, 43UL, new byte[] { 1, 2, 3 })]
    [InlineData(Fixture.Single, 41UL, null)]
    [InlineData(Fixture.Two, 52UL, new byte[] { 255, 0, 255 })]
    [InlineData(Fixture.Two, 50UL, new byte[] { 1, 2, 3 })]
    [InlineData(Fixture.Deleted, 500UL, null)]
    [InlineData(Fixture.Deleted, 45UL, new byte[] { 1, 2, 3 })]
    public async Task GetValue_sees_the_newest_version_committed_at_or_before_the_read(Fixture fixture, ulong readTs, byte[]? expected)
    {
        await SeedAsync(fixture);
        using var reader = Reader();
        Assert.Equal(expected, reader.GetValue(MvccKey.Encode(Key), readTs));
    }

    [Fact]
    public async Task GetValue_of_a_missing_key_is_null()
    {
        await SeedAsync(Fixture.Single);
        using var reader = Reader();
        Assert.Null(reader.GetValue(MvccKey.Encode([16, 241]), 43));
        Assert.Null(reader.GetValue(MvccKey.Encode([16]), 43));
    }

    [Fact]
    public async Task GetValue_skips_rollback_and_lock_records()
    {
        await SeedAsync(Fixture.Single);
        await _db.SeedWriteAsync(Key, 60, new Write(WriteKind.Rollback, 60));
        await _db.SeedWriteAsync(Key, 71, new Write(WriteKind.Lock, 70));
        using var reader = Reader();
        Assert.Equal([1, 2, 3], reader.GetValue(MvccKey.Encode(Key), 100));
        Assert.Equal((42UL, new Write(WriteKind.Put, 40)), Unpack(reader.GetWrite(MvccKey.Encode(Key), 100)));
        Assert.Equal((71UL, new Write(WriteKind.Lock, 70)), Unpack(reader.SeekWrite(MvccKey.Encode(Key), 100)));
    }

    [Theory]
    [InlineData(50UL, TxnCommitState.Committed, 52UL)]
    [InlineData(40UL, TxnCommitState.Committed, 42UL)]
    [InlineData(41UL, TxnCommitState.None, 0UL)]
    public async Task GetTxnCommitRecord_finds_the_write_of_a_start_ts(ulong startTs, TxnCommitState state, ulong commitTs)
    {
        await SeedAsync(Fixture.Two);
        using var reader = Reader();
        var record = reader.GetTxnCommitRecord(MvccKey.Encode(Key), startTs);
        Assert.Equal(state, record.State);
        Assert.Equal(new TimeStamp(commitTs), record.CommitTs);
        if (state == TxnCommitState.Committed)
        {
            Assert.Equal(new Write(WriteKind.Put, startTs), record.Write);
        }
    }

    [Theory]
    [InlineData(Fixture.Two, WriteKind.Put)]
    [InlineData(Fixture.Deleted, WriteKind.Delete)]
    public async Task SeekWrite_at_max_is_the_most_recent_write(Fixture fixture, WriteKind kind)
    {
        await SeedAsync(fixture);
        using var reader = Reader();
        Assert.Equal((52UL, new Write(kind, 50)), Unpack(reader.SeekWrite(MvccKey.Encode(Key), TimeStamp.Max)));
        Assert.Null(reader.SeekWrite(MvccKey.Encode([16]), TimeStamp.Max));
        Assert.Null(reader.SeekWrite(MvccKey.Encode([16, 240, 0]), TimeStamp.Max));
    }

    [Fact]
    public void SeekWrite_on_an_empty_store_is_null()
    {
        using var reader = Reader();
        Assert.Null(reader.SeekWrite(MvccKey.Encode(Key), TimeStamp.Max));
        Assert.Equal(TxnCommitState.None, reader.GetTxnCommitRecord(MvccKey.Encode(Key), 1).State);
    }

    public void Dispose() => _db.Dispose();

    private static (ulong, Write)? Unpack((TimeStamp CommitTs, Write Write)? found) =>
        found is var (ts, write) ? (ts.Value, write) : null;

    private MvccReader Reader() => new(_db.Engine.Snapshot());

    /// <summary>single: {1,2,3} by txn 40 at 42; two: plus {255,0,255} by 50 at 52; deleted: single plus a Delete by 50 at 52.</summary>
    private async Task SeedAsync(Fixture fixture)
    {
        await _db.SeedCommittedAsync(Key, [1, 2, 3], 40, 42);
        switch (fixture)
        {
            case Fixture.Two:
                await _db.SeedCommittedAsync(Key, [255, 0, 255], 50, 52);
                break;
            case Fixture.Deleted:
                await _db.SeedWriteAsync(Key, 52, new Write(WriteKind.Delete, 50));
                break;
        }
    }
}
