using System.Runtime.CompilerServices;
using TinyKv.Storage;
using TinyKv.Transactions.Concurrency;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Commands;

/// <summary>
/// The transactional commands of one store over its KV engine (TiKV's txn scheduler, without
/// raft): each write command latches its keys, takes a snapshot, runs its actions into one
/// <see cref="MvccTxn"/>, applies the batch atomically and releases the latches. Reads (Get,
/// Scan) take no latches: a snapshot is already consistent.
/// </summary>
/// <remarks>One command per file (<c>TxnStore.Prewrite.cs</c>, ...); thread-safe.</remarks>
public sealed partial class TxnStore
{
    private readonly IKvEngine _engine;

    /// <summary>The engine, when it lends stored values (<see cref="IKvBorrowedReads"/>): readers then parse locks in place.</summary>
    private readonly IKvBorrowedReads? _borrowedReads;
    private readonly CommandContextPool _contexts;

    /// <param name="shortValueMaxLength">See <see cref="ShortValueMaxLength"/>.</param>
    public TxnStore(IKvEngine engine, Latches? latches = null, bool sync = false, int shortValueMaxLength = Lock.ShortValueMaxLength)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _borrowedReads = engine as IKvBorrowedReads;
        _contexts = new CommandContextPool(recycleArrays: engine is IKvCopyingWrites);
        Latches = latches ?? new Latches();
        Sync = sync;
        ShortValueMaxLength = shortValueMaxLength;
    }

    public Latches Latches { get; }

    /// <summary>Whether command batches are written durably (<see cref="WriteBatch.Sync"/>).</summary>
    public bool Sync { get; }

    /// <summary>
    /// The longest Put value a prewrite keeps in its lock and a commit in its write record instead
    /// of CF default (default <see cref="Lock.ShortValueMaxLength"/>, as TiKV); negative keeps every
    /// value in CF default (TinyKV's layout). A write policy only: reads understand both layouts.
    /// </summary>
    public int ShortValueMaxLength { get; }

    /// <summary>An <see cref="InvalidRequest"/> when a key is missing or above <see cref="StorageLimits.MaxKeySize"/>, else null.</summary>
    private static InvalidRequest? ValidateKeys(IReadOnlyList<byte[]?> userKeys)
    {
        for (int i = 0; i < userKeys.Count; i++)
        {
            if (userKeys[i] is not { } key || key.Length > StorageLimits.MaxKeySize)
            {
                return new InvalidRequest($"a key is missing or longer than {StorageLimits.MaxKeySize} bytes");
            }
        }

        return null;
    }

    /// <summary>A context whose slots are those of <paramref name="userKeys"/>, unsorted.</summary>
    private CommandContext RentContext(IReadOnlyList<byte[]> userKeys)
    {
        var context = _contexts.Rent();
        int[] slots = context.SlotsFor(userKeys.Count);
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = Latches.SlotOf(userKeys[i]);
        }

        return context;
    }

    /// <summary>A context whose one slot is that of <paramref name="userKey"/>.</summary>
    private CommandContext RentContext(byte[] userKey)
    {
        var context = _contexts.Rent();
        context.SlotsFor(1)[0] = Latches.SlotOf(userKey);
        return context;
    }

    /// <summary>
    /// Runs <paramref name="body"/> under the latch slots of <paramref name="context"/> on a fresh
    /// snapshot and applies what it buffered. A body that fails calls <see cref="MvccTxn.Discard"/>.
    /// The body is a static function of <paramref name="state"/>, so a command allocates no closure;
    /// its state machine comes from a pool (the command's task is awaited once, as every ValueTask),
    /// and so does its context: returned once the engine has applied the batch, dropped when
    /// anything throws (the engine may still hold a batch that failed).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T> ExecuteAsync<TState, T>(
        CommandContext context,
        TimeStamp startTs,
        TState state,
        Func<MvccTxn, MvccReader, TState, T> body,
        CancellationToken cancellationToken)
    {
        int[] slots = context.Slots;
        int held = await Latches.AcquireSlotsAsync(slots, cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            var txn = context.Begin(startTs);
            using (var snapshot = _engine.Snapshot())
            using (var reader = context.Open(snapshot, _borrowedReads))
            {
                result = body(txn, reader, state);
            }

            if (!txn.IsEmpty)
            {
                txn.Modifications.Sync = Sync;
                await _engine.WriteAsync(txn.Modifications, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Latches.Release(slots, held);
        }

        _contexts.Return(context);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on every key of <paramref name="userKeys"/> under
    /// <see cref="ExecuteAsync{TState, T}"/>. All or nothing: the first key that fails discards everything
    /// buffered and its error is returned; null means every key succeeded.
    /// </summary>
    private ValueTask<TxnError?> ExecuteForEachKeyAsync<TState>(
        IReadOnlyList<byte[]> userKeys,
        TimeStamp startTs,
        TState state,
        Func<MvccTxn, MvccReader, byte[], TState, TxnError?> action,
        CancellationToken cancellationToken) =>
        ExecuteAsync(
            RentContext(userKeys),
            startTs,
            (userKeys, state, action),
            static (txn, reader, s) =>
            {
                for (int i = 0; i < s.userKeys.Count; i++)
                {
                    if (s.action(txn, reader, s.userKeys[i], s.state) is { } error)
                    {
                        txn.Discard();
                        return error;
                    }
                }

                return (TxnError?)null;
            },
            cancellationToken);
}
