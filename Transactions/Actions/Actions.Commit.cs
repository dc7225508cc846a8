using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// Second phase for one key (Percolator §2.2, Commit): replaces this transaction's lock by a
    /// write record at key+<paramref name="commitTs"/> pointing back at the start ts (and carrying
    /// the lock's short value, if any). Committing
    /// the primary is the commit point of the whole transaction.
    /// </summary>
    /// <remarks>The caller has checked that <paramref name="commitTs"/> is after the start ts.</remarks>
    /// <returns>
    /// Null on success, also when the key is already committed by this transaction (commit is
    /// idempotent). <see cref="CommitTsExpired"/> when the commit ts is below the lock's min commit
    /// ts. <see cref="AlreadyRolledBack"/> when the lock is gone and a rollback record is there.
    /// <see cref="Retryable"/> when another transaction's lock sits where ours should be and no
    /// record of ours exists. <see cref="TxnLockNotFound"/> when there is neither lock nor record:
    /// the prewrite never happened here, so committing would lose data (TiKV's rule).
    /// </returns>
    public static TxnError? Commit(MvccTxn txn, MvccReader reader, byte[] userKey, TimeStamp commitTs)
    {
        ReadOnlySpan<byte> encoded = MvccKey.Encode(userKey, stackalloc byte[MvccKey.ScratchSize]);
        bool locked = reader.TryLoadLock(encoded, out var @lock);
        if (locked && @lock.StartTs == txn.StartTs)
        {
            if (commitTs < @lock.MinCommitTs)
            {
                return new CommitTsExpired(txn.StartTs, commitTs, @lock.MinCommitTs, userKey);
            }

            var kind = @lock.Kind switch
            {
                LockKind.Put => WriteKind.Put,
                LockKind.Delete => WriteKind.Delete,
                LockKind.Lock => WriteKind.Lock,
                _ => throw new InvalidDataException($"a {@lock.Kind} lock cannot be committed"),
            };
            txn.PutWrite(encoded, commitTs, new WriteRef(kind, txn.StartTs, hasOverlappedRollback: false, @lock.ShortValue, @lock.HasShortValue));
            txn.UnlockKey(encoded);
            return null;
        }

        var record = reader.GetTxnCommitRecord(encoded, txn.StartTs);
        return record.State switch
        {
            TxnCommitState.Committed => null,
            TxnCommitState.RolledBack => new AlreadyRolledBack(txn.StartTs, userKey),
            _ when locked => new Retryable(
                $"key {Convert.ToHexString(userKey)} is locked by txn {@lock.StartTs}, not by committing txn {txn.StartTs}"),
            _ => new TxnLockNotFound(txn.StartTs, userKey),
        };
    }
}
