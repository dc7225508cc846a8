using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// First phase of two-phase commit for one key (Percolator §2.2, Prewrite): leaves a lock
    /// pointing at the primary and stores a Put's value: in the lock when it is at most
    /// <paramref name="shortValueMaxLength"/> bytes (TiKV's short value; commit moves it into the
    /// write record, so a read of it costs no CF default lookup), else at key+start ts in CF default.
    /// </summary>
    /// <param name="shortValueMaxLength">The longest value kept in the lock; negative keeps every value in CF default (TinyKV's layout).</param>
    /// <returns>
    /// Null on success, also when the lock of this transaction is already there (a retried
    /// prewrite writes nothing) or when this transaction already committed the key.
    /// <see cref="KeyIsLocked"/> when another transaction holds a lock on the key, of any age.
    /// <see cref="WriteConflict"/> when a record committed after the start ts exists (first
    /// committer wins; snapshot isolation).
    /// <see cref="AlreadyRolledBack"/> when this transaction was already rolled back on the key:
    /// the rollback record at the start ts makes a late, stale prewrite fail.
    /// </returns>
    public static TxnError? Prewrite(MvccTxn txn, MvccReader reader, TxnProps props, Mutation mutation, int shortValueMaxLength = Lock.ShortValueMaxLength)
    {
        ReadOnlySpan<byte> encoded = MvccKey.Encode(mutation.Key, stackalloc byte[MvccKey.ScratchSize]);
        if (reader.TryLoadLock(encoded, out var existing))
        {
            return existing.StartTs == txn.StartTs
                ? null
                : UnlessCommitted(txn, reader, encoded, new KeyIsLocked(existing.ToLock().ToInfo(mutation.Key)));
        }

        if (reader.TrySeekWrite(encoded, TimeStamp.Max, out var commitTs, out var write))
        {
            if (commitTs > txn.StartTs)
            {
                return UnlessCommitted(
                    txn, reader, encoded, new WriteConflict(txn.StartTs, write.StartTs, commitTs, mutation.Key, props.Primary));
            }

            if (commitTs == txn.StartTs)
            {
                return write.StartTs == txn.StartTs || write.HasOverlappedRollback
                    ? new AlreadyRolledBack(txn.StartTs, mutation.Key)
                    : new WriteConflict(txn.StartTs, write.StartTs, commitTs, mutation.Key, props.Primary);
            }
        }

        byte[]? value = mutation.Kind == MutationKind.Put
            ? mutation.Value ?? throw new ArgumentException("a Put mutation needs a value", nameof(mutation))
            : null;
        bool isShort = value is not null && value.Length <= shortValueMaxLength;
        txn.PutLock(encoded, new LockRef(mutation.LockKind, props.Primary, txn.StartTs, props.LockTtl, props.MinCommitTs, value, isShort));
        if (value is not null && !isShort)
        {
            txn.PutValue(encoded, value);
        }

        return null;
    }

    /// <summary>
    /// A retried prewrite of a transaction that has since committed the key must succeed without
    /// writing (TiKV's <c>check_committed_record_on_err</c>); otherwise the error stands.
    /// </summary>
    private static TxnError? UnlessCommitted(MvccTxn txn, MvccReader reader, ReadOnlySpan<byte> encodedKey, TxnError error) =>
        reader.GetTxnCommitRecord(encodedKey, txn.StartTs).IsCommitted ? null : error;
}
