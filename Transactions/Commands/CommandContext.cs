using TinyKv.Storage;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Commands;

/// <summary>
/// What a write command works with besides its inputs: the latch slots of its keys, its write
/// buffer and its reader. A store reuses finished contexts (<see cref="CommandContextPool"/>), so
/// a command in the steady state allocates no write batch, operation list, reader or slot array.
/// </summary>
/// <remarks>
/// A command owns its context from <see cref="CommandContextPool.Rent"/> until it returns it,
/// after the engine has applied the batch. <see cref="Begin"/> and <see cref="Open"/> drop what a
/// previous command left, so none of one command's operations or snapshot reaches the next (arrays
/// a recycling batch keeps are overwritten whole before they are used again).
/// </remarks>
/// <param name="recycleArrays">Whether the batch keeps its arrays for the next command (<see cref="MvccTxn.RecyclesArrays"/>): only for an engine that copies what it keeps.</param>
internal sealed class CommandContext(bool recycleArrays = false)
{
    private int[] _slots = [];
    private MvccReader? _reader;

    /// <summary>The write buffer; its batch is the one the command hands to the engine.</summary>
    public MvccTxn Txn { get; } = new(TimeStamp.Zero) { RecyclesArrays = recycleArrays };

    /// <summary>The latch slots the command fills before it latches, one per key (the latches sort them in place).</summary>
    public int[] Slots => _slots;

    /// <summary>Sizes <see cref="Slots"/> for <paramref name="count"/> keys, reusing the array when the size matches.</summary>
    public int[] SlotsFor(int count)
    {
        if (_slots.Length != count)
        {
            _slots = new int[count];
        }

        return _slots;
    }

    /// <summary>The write buffer, emptied, for the transaction that started at <paramref name="startTs"/>.</summary>
    public MvccTxn Begin(TimeStamp startTs)
    {
        Txn.Reset(startTs);
        return Txn;
    }

    /// <summary>The reader, over <paramref name="snapshot"/> of the engine <paramref name="borrowedReads"/> (null: an engine that does not lend); dispose it before the snapshot.</summary>
    public MvccReader Open(IKvSnapshot snapshot, IKvBorrowedReads? borrowedReads)
    {
        if (_reader is null)
        {
            _reader = new MvccReader(snapshot, borrowedReads);
        }
        else
        {
            _reader.Reset(snapshot, borrowedReads);
        }

        return _reader;
    }

    /// <summary>Empties the buffered writes: a pooled context keeps no operation, only, when recycling, spare arrays the next command overwrites.</summary>
    public void Clear() => Txn.Reset(TimeStamp.Zero);
}
