using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Actions;

/// <summary>
/// The protocol as the Percolator paper (§2.2) and TiKV's action tests tell it: whole
/// transactions, retries, crashes and races, including TiKV's edge cases.
/// </summary>
public sealed class PercolatorTests : IDisposable
{
    private static readonly byte[] Pk = K("pk");
    private static readonly byte[] Sk = K("sk");

    private readonly Percolator _db = new();

    [Fact]
    public async Task A_transaction_is_invisible_until_its_commit_ts()
    {
        await _db.MustPrewritePutAsync(Pk, K("v1"), Pk, 10);
        await _db.MustPrewritePutAsync(Sk, K("v2"), Pk, 10);
        _db.MustGetNone(Pk, 9);
        Assert.IsType<KeyIsLocked>(_db.MustGetErr(Sk, 11));
        await _db.MustCommitAsync(Pk, 10, 15);
        await _db.MustCommitAsync(Sk, 10, 15);
        _db.MustGetNone(Sk, 14);
        _db.MustGet(Sk, 15, K("v2"));
        _db.MustGet(Pk, TimeStamp.Max, K("v1"));
    }

    [Fact]
    public async Task A_committed_delete_hides_older_versions_from_later_reads_only()
    {
        await _db.SeedCommittedAsync(Pk, K("v"), 5, 6);
        await _db.MustPrewriteDeleteAsync(Pk, Pk, 10);
        await _db.MustCommitAsync(Pk, 10, 11);
        _db.MustWritten(Pk, 10, 11, WriteKind.Delete);
        _db.MustGet(Pk, 10, K("v"));
        _db.MustGetNone(Pk, 11);
    }

    [Fact]
    public async Task A_read_lock_commits_to_a_lock_record_that_readers_skip()
    {
        await _db.SeedCommittedAsync(Pk, K("v"), 5, 6);
        await _db.MustPrewriteLockAsync(Pk, Pk, 10);
        _db.MustGet(Pk, 20, K("v"));
        await _db.MustCommitAsync(Pk, 10, 11);
        _db.MustWritten(Pk, 10, 11, WriteKind.Lock);
        _db.MustGet(Pk, 20, K("v"));
        _db.AssertCounts(1, 0, 2);
    }

    [Fact]
    public async Task A_retried_prewrite_is_idempotent()
    {
        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, 10, ttl: 100);
        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, 10, ttl: 100);
        _db.AssertCounts(1, 1, 0);
        Assert.Equal(100UL, _db.MustLocked(Pk, 10).Ttl);
    }

    [Fact]
    public async Task A_prewrite_retried_after_the_commit_succeeds_without_writing()
    {
        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, 10);
        await _db.MustCommitAsync(Pk, 10, 20);
        await _db.MustPrewritePutAsync(K("x"), K("w"), K("x"), 25);
        await _db.MustCommitAsync(K("x"), 25, 30);

        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, 10);
        _db.MustUnlocked(Pk);
        await _db.MustPrewritePutAsync(Pk, K("later"), Pk, 30);
        await _db.MustCommitAsync(Pk, 30, 40);
        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, 10);
        _db.MustUnlocked(Pk);
        _db.AssertCounts(3, 0, 3);
    }

    [Fact]
    public async Task A_stale_prewrite_after_rollback_fails()
    {
        await _db.MustRollbackAsync(Pk, 10);
        var error = await _db.MustPrewriteErrAsync(Mutation.Put(Pk, K("v")), Pk, 10);
        Assert.Equal(new AlreadyRolledBack(10, Pk).Code, error.Code);
        _db.MustUnlocked(Pk);
        _db.AssertCounts(0, 0, 1);
    }

    [Fact]
    public async Task A_prewrite_rolled_back_and_then_committed_over_fails_as_a_conflict()
    {
        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, 10);
        await _db.MustRollbackAsync(Pk, 10);
        await _db.MustPrewritePutAsync(Pk, K("w"), Pk, 12);
        await _db.MustCommitAsync(Pk, 12, 13);
        Assert.IsType<WriteConflict>(await _db.MustPrewriteErrAsync(Mutation.Put(Pk, K("v")), Pk, 10));
        Assert.Equal(TxnErrorCode.AlreadyRolledBack, (await _db.MustCommitErrAsync(Pk, 10, 14)).Code);
    }

    [Fact]
    public async Task Rollback_never_overwrites_a_commit_record_at_the_same_ts()
    {
        // Txn 10 commits at 20; txn 20 (its start ts equal to that commit ts) is rolled back on the same key.
        await _db.MustPrewritePutAsync(Pk, K("v10"), Pk, 10);
        await _db.MustCommitAsync(Pk, 10, 20);
        await _db.MustRollbackAsync(Pk, 20);

        var write = _db.MustWritten(Pk, 10, 20, WriteKind.Put);
        Assert.True(write.HasOverlappedRollback);
        _db.MustGet(Pk, 20, K("v10"));
        _db.MustRolledBack(Pk, 20);
        Assert.True(_db.CommitRecord(Pk, 10).IsCommitted);

        Assert.Equal(TxnErrorCode.AlreadyRolledBack, (await _db.MustPrewriteErrAsync(Mutation.Put(Pk, K("v20")), Pk, 20)).Code);
        Assert.Equal(TxnErrorCode.AlreadyRolledBack, (await _db.MustCommitErrAsync(Pk, 20, 25)).Code);
        await _db.MustRollbackAsync(Pk, 20);
        Assert.Equal(TxnErrorCode.AlreadyCommitted, (await _db.MustRollbackErrAsync(Pk, 10)).Code);
        _db.AssertCounts(1, 0, 1);
    }

    [Fact]
    public async Task A_txn_starting_at_anothers_commit_ts_conflicts_with_it()
    {
        await _db.SeedCommittedAsync(Pk, K("v10"), 10, 20);
        var error = await _db.MustPrewriteErrAsync(Mutation.Put(Pk, K("v20")), Pk, 20);
        Assert.Equal(new WriteConflict(20, 10, 20, Pk, Pk), error);
    }

    [Fact]
    public async Task Commit_below_the_min_commit_ts_is_expired_and_keeps_the_lock()
    {
        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, 10, minCommitTs: 30);
        var error = await _db.MustCommitErrAsync(Pk, 10, 20);
        Assert.Equal(new CommitTsExpired(10, 20, 30, Pk).Code, error.Code);
        _db.MustLocked(Pk, 10);
        await _db.MustCommitAsync(Pk, 10, 30);
        _db.MustGet(Pk, 30, K("v"));
    }

    [Fact]
    public async Task Check_txn_status_pushes_min_commit_ts_so_the_caller_reads_past_the_lock()
    {
        await _db.SeedCommittedAsync(Pk, K("old"), 1, 2);
        await _db.MustPrewritePutAsync(Pk, K("new"), Pk, 10, ttl: 1000, minCommitTs: 11);
        Assert.IsType<KeyIsLocked>(_db.MustGetErr(Pk, 50));

        var status = await _db.MustCheckTxnStatusAsync(Pk, 10, callerStartTs: 50, currentTs: 40);
        Assert.Equal((TxnState.Locked, TxnStatusAction.MinCommitTsPushed), (status.State, status.Action));
        Assert.Equal(new TimeStamp(51), _db.MustLocked(Pk, 10).MinCommitTs);
        _db.MustGet(Pk, 50, K("old"));
        Assert.Equal(TxnErrorCode.CommitTsExpired, (await _db.MustCommitErrAsync(Pk, 10, 45)).Code);
        await _db.MustCommitAsync(Pk, 10, 60);
        _db.MustGet(Pk, 50, K("old"));
        _db.MustGet(Pk, 60, K("new"));
    }

    [Theory]
    [InlineData(0UL, 11UL)]
    [InlineData(ulong.MaxValue, 11UL)]
    [InlineData(50UL, 0UL)]
    [InlineData(5UL, 11UL)]
    public async Task Check_txn_status_pushes_nothing_without_a_real_caller_ts_or_a_min_commit_ts_below_it(ulong callerStartTs, ulong minCommitTs)
    {
        await _db.MustPrewritePutAsync(Pk, K("new"), Pk, 10, ttl: 1000, minCommitTs: minCommitTs);
        var status = await _db.MustCheckTxnStatusAsync(Pk, 10, callerStartTs, currentTs: 40);
        Assert.Equal((TxnState.Locked, TxnStatusAction.NoAction), (status.State, status.Action));
        Assert.Equal(new TimeStamp(minCommitTs), _db.MustLocked(Pk, 10).MinCommitTs);
    }

    [Fact]
    public async Task Heartbeat_raises_the_ttl_never_lowers_it_and_delays_expiry()
    {
        var start = TimeStamp.Compose(1000, 0);
        await _db.MustPrewritePutAsync(Pk, K("v"), Pk, start, ttl: 10);
        var result = await _db.Store.TxnHeartBeatAsync(Pk, start, 100);
        Assert.Equal(new Transactions.Commands.TxnHeartBeatResult(100, null), result);
        Assert.Equal(100UL, (await _db.Store.TxnHeartBeatAsync(Pk, start, 50)).LockTtl);
        Assert.Equal(100UL, _db.MustLocked(Pk, start).Ttl);

        var alive = await _db.MustCheckTxnStatusAsync(Pk, start, 0, TimeStamp.Compose(1050, 0));
        Assert.Equal(TxnState.Locked, alive.State);
        var expired = await _db.MustCheckTxnStatusAsync(Pk, start, 0, TimeStamp.Compose(1100, 0));
        Assert.Equal(TxnStatusAction.TtlExpireRollback, expired.Action);
        Assert.Equal(TxnErrorCode.TxnNotFound, (await _db.Store.TxnHeartBeatAsync(Pk, start, 500)).Error?.Code);
    }

    [Fact]
    public async Task A_read_of_the_latest_version_is_blocked_only_by_the_primary_lock()
    {
        await _db.SeedCommittedAsync(Sk, K("old"), 1, 2);
        await _db.MustPrewritePutAsync(Pk, K("p"), Pk, 10);
        await _db.MustPrewritePutAsync(Sk, K("s"), Pk, 10);
        Assert.IsType<KeyIsLocked>(_db.MustGetErr(Pk, TimeStamp.Max));
        _db.MustGet(Sk, TimeStamp.Max, K("old"));
    }

    [Fact]
    public async Task A_crashed_coordinators_secondary_is_rolled_forward_by_a_reader()
    {
        var start = TimeStamp.Compose(100, 0);
        await _db.MustPrewritePutAsync(Pk, K("p"), Pk, start, ttl: 5);
        await _db.MustPrewritePutAsync(Sk, K("s"), Pk, start, ttl: 5);
        await _db.MustCommitAsync(Pk, start, start.Next());

        var readTs = TimeStamp.Compose(200, 0);
        var locked = Assert.IsType<KeyIsLocked>(_db.MustGetErr(Sk, readTs)).Lock;
        var status = await _db.MustCheckTxnStatusAsync(locked.Primary, locked.LockTs, readTs, readTs);
        Assert.Equal((TxnState.Committed, start.Next()), (status.State, status.CommitTs));
        Assert.Null(await _db.Store.ResolveLockAsync(locked.LockTs, status.CommitTs));
        _db.MustGet(Sk, readTs, K("s"));
    }

    [Fact]
    public async Task A_crashed_coordinators_expired_transaction_is_rolled_back_by_a_reader()
    {
        var start = TimeStamp.Compose(100, 0);
        await _db.SeedCommittedAsync(Sk, K("old"), 1, 2);
        await _db.MustPrewritePutAsync(Pk, K("p"), Pk, start, ttl: 5);
        await _db.MustPrewritePutAsync(Sk, K("s"), Pk, start, ttl: 5);

        var early = TimeStamp.Compose(104, 0);
        Assert.Equal(TxnState.Locked, (await _db.MustCheckTxnStatusAsync(Pk, start, early, early)).State);
        var readTs = TimeStamp.Compose(105, 0);
        var status = await _db.MustCheckTxnStatusAsync(Pk, start, readTs, readTs);
        Assert.Equal((TxnState.RolledBack, TxnStatusAction.TtlExpireRollback), (status.State, status.Action));
        Assert.Null(await _db.Store.ResolveLockAsync(start, 0));
        _db.MustGet(Sk, readTs, K("old"));
        _db.MustGetNone(Pk, readTs);

        Assert.Equal(TxnErrorCode.AlreadyRolledBack, (await _db.MustCommitErrAsync(Pk, start, readTs)).Code);
    }

    [Fact]
    public async Task Rollback_of_a_delete_lock_removes_only_the_lock()
    {
        await _db.SeedCommittedAsync(Pk, K("v"), 1, 2);
        await _db.MustPrewriteDeleteAsync(Pk, Pk, 10);
        await _db.MustRollbackAsync(Pk, 10);
        _db.AssertCounts(1, 0, 2);
        _db.MustGet(Pk, 20, K("v"));
    }

    public void Dispose() => _db.Dispose();
}
