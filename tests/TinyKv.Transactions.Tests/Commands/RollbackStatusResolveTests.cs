using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

/// <summary>TinyKV 4C through the store's commands: KvBatchRollback, KvCheckTxnStatus, KvResolveLock.</summary>
public sealed class RollbackStatusResolveTests : IDisposable
{
    /// <summary>TinyKV's check-txn-status timestamps: lock at physical 5·2^22 ms, "now" 2^22 ms later.</summary>
    private static readonly TimeStamp LockTs = (5UL << 40) | 100;
    private static readonly TimeStamp CurrentTs = (6UL << 40) | 100;

    private readonly Percolator _db = new();

    // BatchRollback

    [Fact]
    public async Task Empty_rollback_writes_nothing()
    {
        Assert.Null(await _db.Store.BatchRollbackAsync(100, []));
        _db.AssertCounts(0, 0, 0);
    }

    [Fact]
    public async Task Rollback_removes_lock_and_value_and_records_the_rollback()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), 100);
        await _db.MustRollbackAsync(K(3), 100);
        _db.AssertCounts(0, 0, 1);
        _db.MustWritten(K(3), 100, 100, WriteKind.Rollback);
        _db.MustUnlocked(K(3));
    }

    [Fact]
    public async Task Rollback_of_duplicate_keys_writes_one_record_per_key()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), 100);
        await _db.SeedPrewrittenAsync(K(15), [0], K(3), 100);
        Assert.Null(await _db.Store.BatchRollbackAsync(100, [K(3), K(15), K(3)]));
        _db.AssertCounts(0, 0, 2);
    }

    [Fact]
    public async Task Rollback_without_prewrite_still_records_the_rollback()
    {
        await _db.MustRollbackAsync(K(3), 100);
        _db.AssertCounts(0, 0, 1);
        _db.MustWritten(K(3), 100, 100, WriteKind.Rollback);
    }

    [Fact]
    public async Task Rollback_of_a_committed_txn_aborts_and_changes_nothing()
    {
        await _db.SeedCommittedAsync(K(3), [42], 100, 110);
        var error = await _db.MustRollbackErrAsync(K(3), 100);
        Assert.Equal(TxnErrorCode.AlreadyCommitted, error.Code);
        Assert.Equal(new TimeStamp(110), Assert.IsType<AlreadyCommitted>(error).CommitTs);
        _db.AssertCounts(1, 0, 1);
    }

    [Fact]
    public async Task Rollback_is_idempotent()
    {
        await _db.SeedWriteAsync(K(3), 100, new Write(WriteKind.Rollback, 100));
        await _db.MustRollbackAsync(K(3), 100);
        _db.AssertCounts(0, 0, 1);
    }

    [Fact]
    public async Task Rollback_leaves_another_txns_lock_alone()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), 80);
        await _db.MustRollbackAsync(K(3), 100);
        _db.AssertCounts(1, 1, 1);
        _db.MustLocked(K(3), 80);
        _db.MustWritten(K(3), 100, 100, WriteKind.Rollback);
    }

    // CheckTxnStatus

    [Fact]
    public async Task Expired_primary_lock_is_rolled_back()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), LockTs, ttl: 8);
        var status = await _db.MustCheckTxnStatusAsync(K(3), LockTs, 0, CurrentTs);
        Assert.Equal((TxnState.RolledBack, TxnStatusAction.TtlExpireRollback, 0UL), (status.State, status.Action, status.LockTtl));
        Assert.Equal(TimeStamp.Zero, status.CommitTs);
        _db.AssertCounts(0, 0, 1);
        _db.MustWritten(K(3), LockTs, LockTs, WriteKind.Rollback);
    }

    [Fact]
    public async Task Live_primary_lock_is_reported_locked_with_its_ttl()
    {
        ulong ttl = (1UL << 32) + 8;
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), LockTs, ttl);
        var status = await _db.MustCheckTxnStatusAsync(K(3), LockTs, 0, CurrentTs);
        Assert.Equal((TxnState.Locked, TxnStatusAction.NoAction, ttl), (status.State, status.Action, status.LockTtl));
        _db.AssertCounts(1, 1, 0);
    }

    [Fact]
    public async Task Rolled_back_txn_is_reported_without_action()
    {
        await _db.SeedWriteAsync(K(3), LockTs, new Write(WriteKind.Rollback, LockTs));
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), (8UL << 40) | 100);
        var status = await _db.MustCheckTxnStatusAsync(K(3), LockTs, 0, CurrentTs);
        Assert.Equal((TxnState.RolledBack, TxnStatusAction.NoAction, 0UL, 0UL), (status.State, status.Action, status.LockTtl, status.CommitTs.Value));
        _db.AssertCounts(1, 1, 1);
    }

    [Fact]
    public async Task Committed_txn_is_reported_with_its_commit_ts()
    {
        await _db.SeedCommittedAsync(K(3), [42], LockTs, LockTs);
        var status = await _db.MustCheckTxnStatusAsync(K(3), LockTs, 0, CurrentTs);
        Assert.Equal((TxnState.Committed, TxnStatusAction.NoAction, LockTs), (status.State, status.Action, status.CommitTs));
        _db.AssertCounts(1, 0, 1);
    }

    [Fact]
    public async Task Txn_with_neither_lock_nor_record_is_rolled_back_so_it_never_commits()
    {
        var status = await _db.MustCheckTxnStatusAsync(K(3), LockTs, 0, CurrentTs);
        Assert.Equal((TxnState.RolledBack, TxnStatusAction.LockNotExistRollback), (status.State, status.Action));
        _db.AssertCounts(0, 0, 1);
        _db.MustWritten(K(3), LockTs, LockTs, WriteKind.Rollback);
        Assert.Equal(TxnErrorCode.AlreadyRolledBack, (await _db.MustPrewriteErrAsync(Mutation.Put(K(3), [1]), K(3), LockTs)).Code);
    }

    [Fact]
    public async Task Txn_with_neither_lock_nor_record_is_not_found_when_asked_not_to_roll_back()
    {
        var result = await _db.Store.CheckTxnStatusAsync(K(3), LockTs, 0, CurrentTs, rollbackIfNotExist: false);
        Assert.Equal(new TxnNotFound(LockTs, K(3)).Code, result.Error?.Code);
        _db.AssertCounts(0, 0, 0);
    }

    [Theory]
    [InlineData(8UL)]
    [InlineData(1UL << 40)]
    public async Task Secondary_named_as_primary_is_a_primary_mismatch_and_changes_nothing(ulong ttl)
    {
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), LockTs, ttl);
        await _db.SeedPrewrittenAsync(K(7), [43], K(3), LockTs, ttl);
        var result = await _db.Store.CheckTxnStatusAsync(K(7), LockTs, 0, CurrentTs);
        Assert.Null(result.Status);
        var mismatch = Assert.IsType<PrimaryMismatch>(result.Error);
        Assert.Equal(TxnErrorCode.PrimaryMismatch, mismatch.Code);
        Assert.Equal(new LockInfo(K(7), K(3), LockTs, ttl, LockKind.Put, TimeStamp.Zero), mismatch.Lock);
        _db.AssertCounts(2, 2, 0);
        _db.MustLocked(K(7), LockTs);
    }

    [Fact]
    public async Task Primary_mismatch_does_not_push_a_secondarys_min_commit_ts()
    {
        await _db.SeedLockAsync(K(7), new Lock(LockKind.Put, K(3), LockTs, 1UL << 40, LockTs.Next()));
        var result = await _db.Store.CheckTxnStatusAsync(K(7), LockTs, LockTs.Next().Next(), CurrentTs);
        Assert.Equal(TxnErrorCode.PrimaryMismatch, result.Error?.Code);
        Assert.Equal(LockTs.Next(), _db.MustLocked(K(7), LockTs).MinCommitTs);
    }

    [Fact]
    public async Task Another_txns_lock_on_the_primary_is_not_a_primary_mismatch()
    {
        await _db.SeedPrewrittenAsync(K(7), [43], K(3), (8UL << 40) | 100);
        var status = await _db.MustCheckTxnStatusAsync(K(7), LockTs, 0, CurrentTs);
        Assert.Equal((TxnState.RolledBack, TxnStatusAction.LockNotExistRollback), (status.State, status.Action));
        _db.MustLocked(K(7), (8UL << 40) | 100);
    }

    // ResolveLock

    [Fact]
    public async Task Empty_resolve_changes_nothing()
    {
        Assert.Null(await _db.Store.ResolveLockAsync(0, 0));
        _db.AssertCounts(0, 0, 0);
    }

    [Fact]
    public async Task Resolve_commit_commits_every_lock_of_the_txn_and_only_those()
    {
        await SeedResolveFixtureAsync();
        Assert.Null(await _db.Store.ResolveLockAsync(100, 120));
        _db.AssertCounts(3, 1, 2);
        _db.MustWritten(K(3), 100, 120, WriteKind.Put);
        _db.MustWritten(K(7), 100, 120, WriteKind.Put);
        _db.MustLocked(K(200), 110);
    }

    [Fact]
    public async Task Resolve_rollback_rolls_back_every_lock_of_the_txn_and_only_those()
    {
        await SeedResolveFixtureAsync();
        Assert.Null(await _db.Store.ResolveLockAsync(100, 0));
        _db.AssertCounts(1, 1, 2);
        _db.MustWritten(K(3), 100, 100, WriteKind.Rollback);
        _db.MustWritten(K(7), 100, 100, WriteKind.Rollback);
        _db.MustLocked(K(200), 110);
    }

    [Theory]
    [InlineData(120UL)]
    [InlineData(0UL)]
    public async Task Resolve_without_locks_of_the_txn_changes_nothing(ulong commitTs)
    {
        await _db.SeedCommittedAsync(K(3), [42], 100, 101);
        await _db.SeedCommittedAsync(K(7), [43], 100, 101);
        await _db.SeedPrewrittenAsync(K(200), [44], K(200), 110);
        Assert.Null(await _db.Store.ResolveLockAsync(100, commitTs));
        _db.AssertCounts(3, 1, 2);
    }

    [Fact]
    public async Task Resolve_of_many_locks_crosses_batches_and_honours_the_range()
    {
        int n = (2 * Transactions.Commands.TxnStore.ResolveLockBatchSize) + 17;
        var mutations = Enumerable.Range(0, n).Select(i => Mutation.Put(K($"k{i:D4}"), [(byte)i])).ToList();
        Assert.Empty(await _db.Store.PrewriteAsync(mutations, new TxnProps(100, K("k0000"), 0)));
        Assert.Null(await _db.Store.ResolveLockAsync(100, 0, K("k0010"), K("k0020")));
        Assert.Equal(n - 10, _db.Count(Storage.ColumnFamily.Lock));
        Assert.Null(await _db.Store.ResolveLockAsync(100, 120));
        _db.AssertCounts(n - 10, 0, n);
        _db.MustGet(K($"k{n - 1:D4}"), 120, [(byte)(n - 1)]);
        _db.MustGetNone(K("k0015"), 120);
    }

    [Fact]
    public async Task Resolve_rejects_a_commit_ts_before_the_start_ts()
    {
        Assert.Equal(TxnErrorCode.InvalidRequest, (await _db.Store.ResolveLockAsync(100, 90))?.Code);
    }

    public void Dispose() => _db.Dispose();

    private async Task SeedResolveFixtureAsync()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], K(3), 100);
        await _db.SeedPrewrittenAsync(K(7), [43], K(3), 100);
        await _db.SeedPrewrittenAsync(K(200), [44], K(200), 110);
    }
}
