using TinyKv.Storage;
using TinyKv.Storage.Memory;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Commands;
using TinyKv.Transactions.Concurrency;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

/// <summary>
/// TinyKV's latch validation hook (<c>commands_test.go</c>): every key a command writes, in any
/// column family, belongs to a user key whose latch the command holds while the batch is applied.
/// </summary>
public sealed class LatchCoverageTests
{
    private static readonly TimeStamp LockTs = (5UL << 40) | 100;
    private static readonly TimeStamp CurrentTs = (6UL << 40) | 100;

    [Theory]
    [InlineData(-1)]
    [InlineData(Lock.ShortValueMaxLength)]
    public async Task Every_command_writes_only_keys_it_has_latched(int shortValueMaxLength)
    {
        var latches = new Latches();
        using var engine = new LatchCheckingEngine(latches);
        var store = new TxnStore(engine, latches, shortValueMaxLength: shortValueMaxLength);
        byte[] big = new byte[Lock.ShortValueMaxLength + 1];
        byte[][] keys = [K("a"), K("b"), K("c"), K("d")];
        var props = new TxnProps(100, keys[0], 0);

        Assert.Empty(await store.PrewriteAsync([Mutation.Put(keys[0], [1]), Mutation.Put(keys[1], big), Mutation.Delete(keys[2]), Mutation.Lock(keys[3])], props));
        Assert.Null(await store.CommitAsync(100, keys, 110));
        Assert.Empty(await store.PrewriteAsync([Mutation.Put(keys[0], [2]), Mutation.Put(keys[1], big)], new TxnProps(120, keys[0], 0)));
        Assert.Null(await store.BatchRollbackAsync(120, [keys[0], keys[1], K("never-written")]));
        Assert.Empty(await store.PrewriteAsync([Mutation.Put(keys[0], [3]), Mutation.Put(keys[1], [3])], new TxnProps(LockTs, keys[0], 8, LockTs.Next())));
        Assert.Equal(TxnStatusAction.MinCommitTsPushed, (await store.CheckTxnStatusAsync(keys[0], LockTs, LockTs.Next(), LockTs.Next())).Status?.Action);
        Assert.Null((await store.TxnHeartBeatAsync(keys[0], LockTs, 9)).Error);
        Assert.Equal(TxnStatusAction.TtlExpireRollback, (await store.CheckTxnStatusAsync(keys[0], LockTs, 0, CurrentTs)).Status?.Action);
        Assert.Equal(TxnStatusAction.LockNotExistRollback, (await store.CheckTxnStatusAsync(K("e"), CurrentTs, 0, CurrentTs)).Status?.Action);
        Assert.Null(await store.ResolveLockAsync(LockTs, 0));
        Assert.Empty(await store.PrewriteAsync([Mutation.Put(keys[2], big), Mutation.Put(keys[3], [4])], new TxnProps(CurrentTs.Next(), keys[2], 0)));
        Assert.Null(await store.ResolveLockAsync(CurrentTs.Next(), CurrentTs.Next().Next()));

        Assert.True(engine.CheckedKeys > 20, $"only {engine.CheckedKeys} written keys were checked");
        Assert.True(engine.Violations.Count == 0, $"written without their latch: {string.Join(", ", engine.Violations)}");
    }

    /// <summary>A <see cref="MemoryEngine"/> that, before applying a batch, checks that each written user key's latch is held.</summary>
    private sealed class LatchCheckingEngine(Latches latches) : IKvEngine
    {
        private readonly MemoryEngine _inner = new();

        public int CheckedKeys { get; private set; }

        public List<string> Violations { get; } = [];

        public async ValueTask WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
        {
            foreach (var op in batch.Operations)
            {
                byte[] userKey = MvccKey.DecodeUserKey(op.Key);
                using var cts = new CancellationTokenSource();
                var probe = latches.AcquireAsync([userKey], cts.Token);
                CheckedKeys++;
                if (probe.IsCompleted)
                {
                    (await probe).Dispose();
                    Violations.Add($"{op.Cf} {Hex(userKey)}");
                    continue;
                }

                await cts.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await probe);
            }

            await _inner.WriteAsync(batch, cancellationToken);
        }

        public IKvSnapshot Snapshot() => _inner.Snapshot();

        public long ApproximateSize(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey) => _inner.ApproximateSize(startKey, endKey);

        public byte[]? SplitKey(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey) => _inner.SplitKey(startKey, endKey);

        public void Dispose() => _inner.Dispose();
    }
}
