using TinyKv.Storage;
using TinyKv.Storage.Memory;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Commands;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

/// <summary>
/// Commands reuse their context (write batch, reader, slot array): a reused one must carry nothing
/// of the command before it, neither what it wrote nor what it discarded, nor its snapshot.
/// </summary>
public sealed class CommandContextReuseTests
{
    [Fact]
    public void A_returned_context_comes_back_emptied()
    {
        var pool = new CommandContextPool();
        var context = pool.Rent();
        var txn = context.Begin(10);
        txn.UnlockKey(MvccKey.Encode(K("a")));
        txn.Modifications.Sync = true;

        pool.Return(context);
        var again = pool.Rent();

        Assert.Same(context, again);
        Assert.True(again.Txn.IsEmpty);
        Assert.False(again.Txn.Modifications.Sync);
        Assert.Equal(0, again.Txn.Modifications.DataSize);
        Assert.Equal(20UL, again.Begin(20).StartTs.Value);
    }

    [Fact]
    public void A_context_whose_batch_grew_large_is_dropped()
    {
        var pool = new CommandContextPool();
        var context = pool.Rent();
        var txn = context.Begin(10);
        for (int i = 0; i <= CommandContextPool.MaxPooledOperations; i++)
        {
            txn.UnlockKey(MvccKey.Encode([(byte)i]));
        }

        pool.Return(context);

        Assert.Equal(0, pool.Count);
        Assert.NotSame(context, pool.Rent());
    }

    [Fact]
    public void The_pool_keeps_at_most_its_capacity()
    {
        var pool = new CommandContextPool();
        var contexts = Enumerable.Range(0, CommandContextPool.Capacity + 3).Select(_ => pool.Rent()).ToList();
        contexts.ForEach(pool.Return);

        Assert.Equal(CommandContextPool.Capacity, pool.Count);
    }

    [Fact]
    public void Slots_are_resized_only_when_the_key_count_changes()
    {
        var context = new CommandContext();
        int[] two = context.SlotsFor(2);

        Assert.Same(two, context.SlotsFor(2));
        Assert.Single(context.SlotsFor(1));
        Assert.Equal(3, context.SlotsFor(3).Length);
    }

    [Fact]
    public async Task Each_batch_holds_exactly_its_own_commands_writes()
    {
        using var engine = new RecordingEngine();
        var store = new TxnStore(engine);
        byte[] a = K("a"), b = K("b"), c = K("c");

        Assert.Empty(await store.PrewriteAsync([Mutation.Put(a, [1]), Mutation.Put(b, [2])], new TxnProps(10, a, 0)));
        Assert.Null(await store.CommitAsync(10, [a, b], 11));

        // Prewrite of c succeeds into the buffer, then b is locked: the command discards c and writes nothing.
        Assert.Empty(await store.PrewriteAsync([Mutation.Put(b, [3])], new TxnProps(20, b, 0)));
        Assert.Single(await store.PrewriteAsync([Mutation.Put(c, [4]), Mutation.Put(b, [5])], new TxnProps(30, c, 0)));
        Assert.Null(await store.BatchRollbackAsync(20, [b]));

        Assert.Equal(
            [
                ["Put Lock a", "Put Lock b"],
                ["Put Write a@11", "Delete Lock a", "Put Write b@11", "Delete Lock b"],
                ["Put Lock b"],
                ["Delete Lock b", "Put Write b@20"],
            ],
            engine.Batches);
        Assert.Equal(4, engine.BatchInstances.Count);
        Assert.Single(engine.BatchInstances.Distinct());
        Assert.All(engine.SyncFlags, sync => Assert.False(sync));
        Assert.Equal(GetResult(null, null), store.Get(c, 40));
    }

    [Fact]
    public async Task A_synced_store_marks_every_reused_batch_synced()
    {
        using var engine = new RecordingEngine();
        var store = new TxnStore(engine, sync: true);
        byte[] a = K("a");

        Assert.Empty(await store.PrewriteAsync([Mutation.Put(a, [1])], new TxnProps(10, a, 0)));
        Assert.Null(await store.CommitAsync(10, [a], 11));

        Assert.Equal([true, true], engine.SyncFlags);
        Assert.Single(engine.BatchInstances.Distinct());
    }

    [Fact]
    public async Task A_batch_whose_write_failed_is_not_reused()
    {
        using var engine = new RecordingEngine { FailNextWrite = true };
        var store = new TxnStore(engine);
        byte[] a = K("a"), b = K("b");

        await Assert.ThrowsAsync<IOException>(async () => await store.PrewriteAsync([Mutation.Put(a, [1])], new TxnProps(10, a, 0)));
        Assert.Empty(await store.PrewriteAsync([Mutation.Put(b, [2])], new TxnProps(20, b, 0)));

        Assert.Equal([["Put Lock b"]], engine.Batches);
        Assert.Equal(2, engine.BatchInstances.Distinct().Count());
    }

    [Fact]
    public async Task A_reused_reader_reads_the_new_commands_snapshot()
    {
        using var engine = new RecordingEngine();
        var store = new TxnStore(engine);
        byte[] a = K("a");

        // Each command sees what the one before it wrote: the commit finds the prewrite's lock, the
        // second prewrite the commit's record.
        Assert.Empty(await store.PrewriteAsync([Mutation.Put(a, [1])], new TxnProps(10, a, 0)));
        Assert.Null(await store.CommitAsync(10, [a], 11));
        var conflict = Assert.Single(await store.PrewriteAsync([Mutation.Put(a, [2])], new TxnProps(5, a, 0)));

        Assert.IsType<WriteConflict>(conflict);
        Assert.Single(engine.BatchInstances.Distinct());
    }

    private static GetResult GetResult(byte[]? value, TxnError? error) => new(value, error);

    /// <summary>A <see cref="MemoryEngine"/> that records each batch it applies: its operations as text, its instance and its sync flag.</summary>
    private sealed class RecordingEngine : IKvEngine
    {
        private readonly MemoryEngine _inner = new();

        public List<List<string>> Batches { get; } = [];

        public List<WriteBatch> BatchInstances { get; } = [];

        public List<bool> SyncFlags { get; } = [];

        public bool FailNextWrite { get; set; }

        public async ValueTask WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
        {
            BatchInstances.Add(batch);
            if (FailNextWrite)
            {
                FailNextWrite = false;
                throw new IOException("injected write failure");
            }

            Batches.Add([.. batch.Operations.Select(Describe)]);
            SyncFlags.Add(batch.Sync);
            await _inner.WriteAsync(batch, cancellationToken);
        }

        public IKvSnapshot Snapshot() => _inner.Snapshot();

        public long ApproximateSize(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey) => _inner.ApproximateSize(startKey, endKey);

        public byte[]? SplitKey(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey) => _inner.SplitKey(startKey, endKey);

        public void Dispose() => _inner.Dispose();

        private static string Describe(WriteOp op)
        {
            string key = System.Text.Encoding.ASCII.GetString(MvccKey.DecodeUserKey(op.Key));
            return op.Cf == ColumnFamily.Lock ? $"{op.Kind} {op.Cf} {key}" : $"{op.Kind} {op.Cf} {key}@{MvccKey.DecodeTs(op.Key).Value}";
        }
    }
}
