using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// Decides the fate of the transaction that started at the txn's start ts by its primary key
    /// (Percolator §2.2: a reader that meets a lock checks the primary; TiKV's
    /// <c>check_txn_status</c>). Outcomes:
    /// <list type="bullet">
    /// <item>Primary locked, TTL alive at <paramref name="currentTs"/>: <see cref="TxnState.Locked"/>. If
    /// the lock has a min commit ts at or below <paramref name="callerStartTs"/> (a real start ts,
    /// neither zero nor <see cref="TimeStamp.Max"/>), it is pushed to max(caller start ts + 1,
    /// current ts) so the caller can read past it (<see cref="TxnStatusAction.MinCommitTsPushed"/>).</item>
    /// <item>Primary locked, TTL expired: the lock is rolled back (<see cref="TxnStatusAction.TtlExpireRollback"/>).</item>
    /// <item>No lock of this transaction, commit record: <see cref="TxnState.Committed"/> with its commit ts.</item>
    /// <item>No lock, rollback record: <see cref="TxnState.RolledBack"/>, no action.</item>
    /// <item>No lock, no record: a rollback record is written so the transaction can never commit
    /// (<see cref="TxnStatusAction.LockNotExistRollback"/>), or, when
    /// <paramref name="rollbackIfNotExist"/> is false, <see cref="TxnNotFound"/>.</item>
    /// </list>
    /// A lock of this transaction on <paramref name="primaryKey"/> whose primary is another key is
    /// <see cref="PrimaryMismatch"/>, checked before anything else and with nothing written: a
    /// secondary lock must not be rolled back or pushed as if it decided the transaction (TiKV).
    /// </summary>
    public static TxnError? CheckTxnStatus(
        MvccTxn txn,
        MvccReader reader,
        byte[] primaryKey,
        TimeStamp callerStartTs,
        TimeStamp currentTs,
        bool rollbackIfNotExist,
        out TxnStatus? status)
    {
        ReadOnlySpan<byte> encoded = MvccKey.Encode(primaryKey, stackalloc byte[MvccKey.ScratchSize]);
        if (reader.LoadLock(encoded) is { } @lock && @lock.StartTs == txn.StartTs)
        {
            if (!@lock.Primary.AsSpan().SequenceEqual(primaryKey))
            {
                status = null;
                return new PrimaryMismatch(@lock.ToInfo(primaryKey));
            }

            if (@lock.IsExpired(currentTs))
            {
                RollbackLock(txn, reader, encoded, @lock);
                status = TxnStatus.RolledBack(TxnStatusAction.TtlExpireRollback);
                return null;
            }

            if (!@lock.MinCommitTs.IsZero && !callerStartTs.IsZero && callerStartTs != TimeStamp.Max && @lock.MinCommitTs <= callerStartTs)
            {
                var pushedTo = callerStartTs.Next() > currentTs ? callerStartTs.Next() : currentTs;
                var pushed = @lock with { MinCommitTs = pushedTo };
                txn.PutLock(encoded, pushed);
                status = TxnStatus.Locked(pushed, TxnStatusAction.MinCommitTsPushed);
                return null;
            }

            status = TxnStatus.Locked(@lock, TxnStatusAction.NoAction);
            return null;
        }

        var record = reader.GetTxnCommitRecord(encoded, txn.StartTs);
        switch (record.State)
        {
            case TxnCommitState.Committed:
                status = TxnStatus.Committed(record.CommitTs);
                return null;
            case TxnCommitState.RolledBack:
                status = TxnStatus.RolledBack(TxnStatusAction.NoAction);
                return null;
            default:
                if (!rollbackIfNotExist)
                {
                    status = null;
                    return new TxnNotFound(txn.StartTs, primaryKey);
                }

                PutRollbackRecord(txn, reader, encoded);
                status = TxnStatus.RolledBack(TxnStatusAction.LockNotExistRollback);
                return null;
        }
    }
}
