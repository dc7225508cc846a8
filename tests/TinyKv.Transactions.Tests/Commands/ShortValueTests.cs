using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

/// <summary>
/// TiKV's short values: a Put of at most <see cref="Lock.ShortValueMaxLength"/> bytes travels in
/// its lock and then in its write record, never in CF default; longer values, and every value when
/// the store keeps TinyKV's layout, go to CF default. Reads understand both layouts at once.
/// </summary>
public sealed class ShortValueTests : IDisposable
{
    private static readonly byte[] Pk = K("pk");

    private readonly Percolator _db = new(Lock.ShortValueMaxLength);

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(Lock.ShortValueMaxLength, true)]
    [InlineData(Lock.ShortValueMaxLength + 1, false)]
    public async Task Values_up_to_the_limit_travel_in_the_lock_and_the_write_record(int length, bool inline)
    {
        byte[] value = [.. Enumerable.Range(0, length).Select(i => (byte)i)];
        await _db.MustPrewritePutAsync(Pk, value, Pk, 10);
        var @lock = _db.MustLocked(Pk, 10);
        Assert.Equal(inline ? value : null, @lock.ShortValue);
        _db.AssertCounts(inline ? 0 : 1, 1, 0);

        await _db.MustCommitAsync(Pk, 10, 20);
        var write = _db.MustWritten(Pk, 10, 20, WriteKind.Put);
        Assert.Equal(inline ? value : null, write.ShortValue);
        _db.AssertCounts(inline ? 0 : 1, 0, 1);
        _db.MustGet(Pk, 20, value);
        _db.MustGetNone(Pk, 19);
    }

    [Fact]
    public async Task A_store_with_the_tinykv_layout_keeps_even_an_empty_value_in_cf_default()
    {
        using var db = new Percolator(shortValueMaxLength: -1);
        await db.MustPrewritePutAsync(Pk, [], Pk, 10);
        Assert.Null(db.MustLocked(Pk, 10).ShortValue);
        db.AssertCounts(1, 1, 0);
        await db.MustCommitAsync(Pk, 10, 20);
        Assert.Null(db.MustWritten(Pk, 10, 20, WriteKind.Put).ShortValue);
        db.MustGet(Pk, 20, []);
    }

    [Fact]
    public async Task Rollback_of_a_short_value_lock_leaves_only_the_rollback_record()
    {
        await _db.MustPrewritePutAsync(Pk, [42], Pk, 10);
        await _db.MustRollbackAsync(Pk, 10);
        _db.AssertCounts(0, 0, 1);
        _db.MustWritten(Pk, 10, 10, WriteKind.Rollback);
        _db.MustGetNone(Pk, 30);
    }

    [Fact]
    public async Task Delete_and_lock_mutations_carry_no_value()
    {
        await _db.MustPrewriteDeleteAsync(Pk, Pk, 10);
        await _db.MustPrewriteLockAsync(K("k2"), Pk, 10);
        Assert.Null(_db.MustLocked(Pk, 10).ShortValue);
        Assert.Null(_db.MustLocked(K("k2"), 10).ShortValue);
        _db.AssertCounts(0, 2, 0);
    }

    [Fact]
    public async Task Versions_in_both_layouts_read_and_scan_correctly()
    {
        await _db.SeedCommittedAsync(Pk, [1], 10, 20);
        await _db.MustPrewritePutAsync(Pk, [2], Pk, 30);
        await _db.MustCommitAsync(Pk, 30, 40);
        await _db.SeedCommittedAsync(Pk, new byte[Lock.ShortValueMaxLength + 1], 50, 60);
        await _db.MustPrewritePutAsync(K("q"), [3], K("q"), 70);
        await _db.MustCommitAsync(K("q"), 70, 80);

        _db.MustGet(Pk, 25, [1]);
        _db.MustGet(Pk, 45, [2]);
        _db.MustGet(Pk, 65, new byte[Lock.ShortValueMaxLength + 1]);
        var pairs = _db.Store.Scan(null, null, 45, 10);
        Assert.Equal([(Hex(Pk), Hex([2]))], pairs.Select(p => (Hex(p.Key), Hex(p.Value!))));
        pairs = _db.Store.Scan(null, null, 90, 10, reverse: true);
        Assert.Equal([Hex(K("q")), Hex(Pk)], pairs.Select(p => Hex(p.Key)));
        Assert.Equal([3], pairs[0].Value);
    }

    [Fact]
    public async Task An_overlapped_rollback_keeps_the_commit_records_short_value()
    {
        await _db.MustPrewritePutAsync(Pk, [9], Pk, 10);
        await _db.MustCommitAsync(Pk, 10, 20);
        await _db.MustRollbackAsync(Pk, 20);
        var write = _db.MustWritten(Pk, 10, 20, WriteKind.Put);
        Assert.True(write.HasOverlappedRollback);
        Assert.Equal([9], write.ShortValue);
        _db.MustGet(Pk, 20, [9]);
        _db.MustRolledBack(Pk, 20);
    }

    [Fact]
    public async Task Pushing_min_commit_ts_and_heartbeats_keep_the_short_value()
    {
        await _db.MustPrewritePutAsync(Pk, [7], Pk, 10, ttl: 1UL << 40, minCommitTs: 11);
        var status = await _db.MustCheckTxnStatusAsync(Pk, 10, callerStartTs: 30, currentTs: 30);
        Assert.Equal(TxnStatusAction.MinCommitTsPushed, status.Action);
        Assert.Equal((1UL << 40) + 5, (await _db.Store.TxnHeartBeatAsync(Pk, 10, (1UL << 40) + 5)).LockTtl);
        var @lock = _db.MustLocked(Pk, 10);
        Assert.Equal((new TimeStamp(31), (1UL << 40) + 5), (@lock.MinCommitTs, @lock.Ttl));
        Assert.Equal([7], @lock.ShortValue);
        await _db.MustCommitAsync(Pk, 10, 40);
        _db.MustGet(Pk, 40, [7]);
        _db.AssertCounts(0, 0, 1);
    }

    public void Dispose() => _db.Dispose();
}
