using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

/// <summary>TinyKV 4B through the store's commands: KvGet, KvPrewrite, KvCommit.</summary>
public sealed class GetPrewriteCommitTests : IDisposable
{
    private readonly Percolator _db = new();

    // Get

    [Fact]
    public async Task Get_reads_the_committed_value_at_max_and_at_a_later_ts()
    {
        await _db.SeedCommittedAsync(K(99), [42], 50, 54);
        _db.MustGet(K(99), TimeStamp.Max, [42]);
        for (int i = 0; i < 3; i++)
        {
            _db.MustGet(K(99), 100, [42]);
        }
    }

    [Fact]
    public void Get_on_an_empty_store_finds_nothing() => _db.MustGetNone(K(100), TimeStamp.Max);

    [Fact]
    public async Task Get_of_a_key_between_existing_keys_finds_nothing()
    {
        await _db.SeedCommittedAsync(K(99), [42], 50, 54);
        await _db.SeedCommittedAsync(K(101), [42], 50, 54);
        _db.MustGetNone(K(100), TimeStamp.Max);
    }

    [Theory]
    [InlineData(40UL, null)]
    [InlineData(56UL, (byte)42)]
    [InlineData(60UL, (byte)42)]
    [InlineData(65UL, (byte)42)]
    [InlineData(66UL, (byte)43)]
    [InlineData(100UL, (byte)43)]
    public async Task Get_picks_the_version_visible_at_the_read_ts(ulong readTs, byte? expected)
    {
        await _db.SeedCommittedAsync(K(99), [42], 50, 54);
        await _db.SeedCommittedAsync(K(99), [43], 60, 66);
        await _db.SeedCommittedAsync(K(99), [44], 120, 122);
        AssertRead(K(99), readTs, expected);
    }

    [Theory]
    [InlineData(54UL, (byte)42)]
    [InlineData(60UL, (byte)42)]
    [InlineData(65UL, (byte)42)]
    [InlineData(66UL, null)]
    [InlineData(67UL, null)]
    [InlineData(122UL, (byte)44)]
    public async Task Get_honours_a_committed_delete(ulong readTs, byte? expected)
    {
        await _db.SeedCommittedAsync(K(99), [42], 50, 54);
        await _db.SeedWriteAsync(K(99), 66, new Write(WriteKind.Delete, 60));
        await _db.SeedCommittedAsync(K(99), [44], 120, 122);
        AssertRead(K(99), readTs, expected);
    }

    [Fact]
    public async Task Get_ignores_a_newer_lock_and_reports_an_older_one()
    {
        await _db.SeedCommittedAsync(K(99), [42], 50, 54);
        await _db.SeedLockAsync(K(99), new Lock(LockKind.Put, K(99), 200, 0));
        _db.MustGet(K(99), 55, [42]);
        var error = Assert.IsType<KeyIsLocked>(_db.MustGetErr(K(99), 300));
        Assert.Equal(new LockInfo(K(99), K(99), 200, 0, LockKind.Put, default), error.Lock);
        Assert.Equal(TxnErrorCode.KeyIsLocked, error.Code);
    }

    // Prewrite

    [Fact]
    public async Task Empty_prewrite_writes_nothing()
    {
        Assert.Empty(await _db.Store.PrewriteAsync([], new TxnProps(100, K(1), 0)));
        _db.AssertCounts(0, 0, 0);
    }

    [Fact]
    public async Task Single_prewrite_leaves_lock_and_value()
    {
        await _db.MustPrewritePutAsync(K(3), [42], K(1), 100, ttl: 1000);
        _db.AssertCounts(1, 1, 0);
        Assert.Equal(new Lock(LockKind.Put, K(1), 100, 1000), _db.MustLocked(K(3), 100));
        _db.MustGetNone(K(3), 99);
        Assert.IsType<KeyIsLocked>(_db.MustGetErr(K(3), 100));
    }

    [Fact]
    public async Task Prewrite_of_a_key_locked_by_another_txn_fails_and_changes_nothing()
    {
        await _db.MustPrewritePutAsync(K(3), [42], K(1), 100);
        var error = await _db.MustPrewriteErrAsync(Mutation.Put(K(3), [53]), K(1), 101);
        Assert.Equal(new LockInfo(K(3), K(1), 100, 0, LockKind.Put, default), Assert.IsType<KeyIsLocked>(error).Lock);
        _db.AssertCounts(1, 1, 0);
        _db.MustLocked(K(3), 100);
    }

    [Fact]
    public async Task Prewrite_after_a_newer_commit_is_a_write_conflict()
    {
        await _db.SeedCommittedAsync(K(3), [21], 80, 101);
        var error = await _db.MustPrewriteErrAsync(Mutation.Put(K(3), [42]), K(1), 100);
        Assert.Equal(new WriteConflict(100, 80, 101, K(3), K(1)), error);
        _db.AssertCounts(1, 0, 1);
    }

    [Fact]
    public async Task Prewrite_after_an_older_commit_succeeds()
    {
        await _db.SeedCommittedAsync(K(3), [21], 80, 90);
        await _db.MustPrewritePutAsync(K(3), [42], K(1), 100);
        _db.AssertCounts(2, 1, 1);
        _db.MustLocked(K(3), 100);
    }

    [Fact]
    public async Task Prewrites_of_different_keys_by_different_txns_both_succeed()
    {
        await _db.MustPrewritePutAsync(K(3), [42], K(1), 100);
        await _db.MustPrewritePutAsync(K(4), [53], K(1), 101);
        _db.AssertCounts(2, 2, 0);
        _db.MustLocked(K(3), 100);
        _db.MustLocked(K(4), 101);
    }

    [Fact]
    public async Task Several_mutations_of_one_key_collapse_to_the_last()
    {
        Assert.Empty(await _db.Store.PrewriteAsync([Mutation.Put(K(3), [42]), Mutation.Put(K(3), [45])], new TxnProps(100, K(1), 0)));
        _db.AssertCounts(1, 1, 0);
        await _db.MustCommitAsync(K(3), 100, 110);
        _db.MustGet(K(3), 110, [45]);
    }

    [Fact]
    public async Task Prewrite_of_many_mutations_keeps_the_last_of_each_key()
    {
        Mutation[] mutations =
        [
            Mutation.Put(K(3), [42]), Mutation.Put(K(4), [43]), Mutation.Put(K(5), [44]),
            Mutation.Delete(K(4)), Mutation.Put(K(4), [1, 3, 5]), Mutation.Put(K(255), [45]),
        ];
        Assert.Empty(await _db.Store.PrewriteAsync(mutations, new TxnProps(100, K(3), 0)));
        _db.AssertCounts(4, 4, 0);
        await _db.Store.CommitAsync(100, [K(3), K(4), K(5), K(255)], 110);
        _db.MustGet(K(4), 110, [1, 3, 5]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(20)]
    public async Task Large_and_small_prewrites_keep_the_last_mutation_of_each_key_in_first_seen_order(int keys)
    {
        var mutations = Enumerable.Range(0, keys * 2).Select(i => Mutation.Put(K((byte)(i % keys)), [(byte)i])).ToList();
        Assert.Empty(await _db.Store.PrewriteAsync(mutations, new TxnProps(100, K(0), 0)));
        _db.AssertCounts(keys, keys, 0);
        Assert.Null(await _db.Store.CommitAsync(100, [.. Enumerable.Range(0, keys).Select(i => K((byte)i))], 110));
        for (int i = 0; i < keys; i++)
        {
            _db.MustGet(K((byte)i), 110, [(byte)(i + keys)]);
        }
    }

    [Fact]
    public async Task Put_then_delete_of_one_key_leaves_no_stale_value()
    {
        Assert.Empty(await _db.Store.PrewriteAsync([Mutation.Put(K(4), [43]), Mutation.Delete(K(4))], new TxnProps(100, K(4), 0)));
        _db.AssertCounts(0, 1, 0);
        Assert.Equal(LockKind.Delete, _db.MustLocked(K(4), 100).Kind);
    }

    [Fact]
    public async Task A_failing_key_makes_the_whole_prewrite_write_nothing_and_reports_every_error()
    {
        await _db.MustPrewritePutAsync(K(3), [1], K(3), 90);
        await _db.MustPrewritePutAsync(K(5), [1], K(5), 91);
        var errors = await _db.Store.PrewriteAsync(
            [Mutation.Put(K(3), [2]), Mutation.Put(K(4), [2]), Mutation.Put(K(5), [2])], new TxnProps(100, K(4), 0));
        Assert.Equal([90UL, 91UL], errors.Select(e => Assert.IsType<KeyIsLocked>(e).Lock.LockTs.Value));
        _db.MustUnlocked(K(4));
        _db.AssertCounts(2, 2, 0);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    public async Task Prewrite_rejects_a_start_ts_that_is_not_a_timestamp(ulong startTs)
    {
        var error = Assert.Single(await _db.Store.PrewriteAsync([Mutation.Put(K(3), [1])], new TxnProps(startTs, K(3), 0)));
        Assert.Equal(TxnErrorCode.InvalidRequest, error.Code);
        _db.AssertCounts(0, 0, 0);
    }

    [Fact]
    public async Task Prewrite_rejects_a_put_without_value()
    {
        var error = Assert.Single(await _db.Store.PrewriteAsync([new Mutation(MutationKind.Put, K(3))], new TxnProps(100, K(3), 0)));
        Assert.Equal(TxnErrorCode.InvalidRequest, error.Code);
        _db.AssertCounts(0, 0, 0);
    }

    // Commit

    [Fact]
    public async Task Empty_commit_writes_nothing()
    {
        Assert.Null(await _db.Store.CommitAsync(100, [], 110));
        _db.AssertCounts(0, 0, 0);
    }

    [Fact]
    public async Task Single_commit_turns_the_lock_into_a_write()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], [], 100);
        await _db.MustCommitAsync(K(3), 100, 110);
        _db.AssertCounts(1, 0, 1);
        _db.MustWritten(K(3), 100, 110, WriteKind.Put);
        _db.MustUnlocked(K(3));
        _db.MustGet(K(3), 110, [42]);
        _db.MustGetNone(K(3), 109);
    }

    [Fact]
    public async Task Commit_adds_a_version_over_an_older_one()
    {
        await _db.SeedCommittedAsync(K(3), [15], 80, 90);
        await _db.SeedPrewrittenAsync(K(3), [42], [], 100);
        await _db.MustCommitAsync(K(3), 100, 110);
        _db.AssertCounts(2, 0, 2);
        _db.MustGet(K(3), 100, [15]);
        _db.MustGet(K(3), 110, [42]);
    }

    [Fact]
    public async Task Commit_of_many_keys_leaves_other_data_alone()
    {
        foreach (byte[] key in new[] { K(3), K(12, 4, 0), K(15) })
        {
            await _db.SeedPrewrittenAsync(key, [42], K(3), 100);
        }

        await _db.SeedCommittedAsync(K(4), [21], 80, 90);
        await _db.SeedCommittedAsync(K(3, 0), [21], 80, 90);
        await _db.SeedPrewrittenAsync(K(2), [42], K(2), 99);
        await _db.SeedPrewrittenAsync(K(43, 6), [42], K(2), 99);
        Assert.Null(await _db.Store.CommitAsync(100, [K(3), K(12, 4, 0), K(15)], 110));
        _db.AssertCounts(7, 2, 5);
        _db.MustLocked(K(2), 99);
        _db.MustLocked(K(43, 6), 99);
        _db.MustGet(K(4), 110, [21]);
        _db.MustGet(K(12, 4, 0), 110, [42]);
    }

    [Fact]
    public async Task Recommitting_a_key_twice_in_one_command_writes_once()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], [], 100);
        Assert.Null(await _db.Store.CommitAsync(100, [K(3), K(3)], 110));
        _db.AssertCounts(1, 0, 1);
    }

    [Fact]
    public async Task Commit_after_rollback_fails_and_writes_nothing()
    {
        await _db.SeedWriteAsync(K(3), 100, new Write(WriteKind.Rollback, 100));
        var error = await _db.MustCommitErrAsync(K(3), 100, 110);
        Assert.Equal(TxnErrorCode.AlreadyRolledBack, error.Code);
        _db.AssertCounts(0, 0, 1);
    }

    [Fact]
    public async Task Commit_of_a_key_locked_by_another_txn_is_retryable()
    {
        await _db.SeedPrewrittenAsync(K(3), [42], [], 90);
        var error = await _db.MustCommitErrAsync(K(3), 100, 110);
        Assert.False(string.IsNullOrEmpty(Assert.IsType<Retryable>(error).Reason));
        _db.AssertCounts(1, 1, 0);
        _db.MustLocked(K(3), 90);
    }

    [Fact]
    public async Task Commit_is_idempotent()
    {
        await _db.SeedCommittedAsync(K(3), [42], 100, 110);
        await _db.MustCommitAsync(K(3), 100, 110);
        _db.AssertCounts(1, 0, 1);
    }

    [Fact]
    public async Task Commit_without_prewrite_is_lock_not_found_and_changes_nothing()
    {
        await _db.SeedCommittedAsync(K(3), [42], 50, 60);
        await _db.SeedCommittedAsync(K(4), [42], 50, 60);
        var error = await _db.MustCommitErrAsync(K(5), 100, 110);
        Assert.Equal(new TxnLockNotFound(100, K(5)).Code, error.Code);
        _db.AssertCounts(2, 0, 2);
    }

    [Theory]
    [InlineData(100UL)]
    [InlineData(99UL)]
    public async Task Commit_ts_must_be_after_start_ts(ulong commitTs)
    {
        await _db.SeedPrewrittenAsync(K(3), [42], [], 100);
        Assert.Equal(TxnErrorCode.InvalidRequest, (await _db.MustCommitErrAsync(K(3), 100, commitTs)).Code);
        _db.MustLocked(K(3), 100);
    }

    public void Dispose() => _db.Dispose();

    private void AssertRead(byte[] key, TimeStamp readTs, byte? expected)
    {
        if (expected is { } value)
        {
            _db.MustGet(key, readTs, [value]);
        }
        else
        {
            _db.MustGetNone(key, readTs);
        }
    }
}
