using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// Rolls back this transaction on one key (Percolator §2.2's cleanup; TiKV's <c>cleanup</c>):
    /// removes its lock and value, and leaves a Rollback record at key+start ts. The record is
    /// written even when no lock exists, so a prewrite that arrives late fails instead of
    /// resurrecting the transaction. Another transaction's lock is left alone.
    /// </summary>
    /// <returns>
    /// Null on success, also when the key is already rolled back (idempotent).
    /// <see cref="AlreadyCommitted"/> when this transaction committed the key: a committed
    /// transaction can never be rolled back.
    /// </returns>
    public static TxnError? Rollback(MvccTxn txn, MvccReader reader, byte[] userKey)
    {
        ReadOnlySpan<byte> encoded = MvccKey.Encode(userKey, stackalloc byte[MvccKey.ScratchSize]);
        if (reader.LoadLock(encoded) is { } @lock && @lock.StartTs == txn.StartTs)
        {
            RollbackLock(txn, reader, encoded, @lock);
            return null;
        }

        var record = reader.GetTxnCommitRecord(encoded, txn.StartTs);
        switch (record.State)
        {
            case TxnCommitState.Committed:
                return new AlreadyCommitted(txn.StartTs, record.CommitTs, userKey);
            case TxnCommitState.RolledBack:
                return null;
            default:
                PutRollbackRecord(txn, reader, encoded);
                return null;
        }
    }

    /// <summary>Removes this transaction's own lock and value (in CF default unless the lock carries it) and records the rollback.</summary>
    internal static void RollbackLock(MvccTxn txn, MvccReader reader, ReadOnlySpan<byte> encodedKey, Lock @lock)
    {
        if (@lock.Kind == LockKind.Put && @lock.ShortValue is null)
        {
            txn.DeleteValue(encodedKey);
        }

        txn.UnlockKey(encodedKey);
        PutRollbackRecord(txn, reader, encodedKey);
    }

    /// <summary>
    /// Writes the Rollback record at key+start ts. Invariant: a commit record is never
    /// overwritten. If another transaction committed at exactly this ts, its record is kept and
    /// flagged <see cref="Write.HasOverlappedRollback"/> instead (TiKV's overlapped rollback).
    /// </summary>
    internal static void PutRollbackRecord(MvccTxn txn, MvccReader reader, ReadOnlySpan<byte> encodedKey)
    {
        switch (reader.GetWriteAt(encodedKey, txn.StartTs))
        {
            case null:
                txn.PutWrite(encodedKey, txn.StartTs, new Write(WriteKind.Rollback, txn.StartTs));
                break;
            case { } existing when existing.StartTs != txn.StartTs && !existing.HasOverlappedRollback:
                txn.PutWrite(encodedKey, txn.StartTs, existing with { HasOverlappedRollback = true });
                break;
            default:
                break;
        }
    }
}
