using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// Finishes a left-over lock of the txn's start ts on one key once its primary decided the
    /// transaction (Percolator §2.2, roll-forward / roll-back of secondaries): commits it at
    /// <paramref name="commitTs"/>, or rolls it back when <paramref name="commitTs"/> is zero.
    /// </summary>
    /// <returns>The errors of <see cref="Commit"/> or <see cref="Rollback"/>.</returns>
    public static TxnError? ResolveLock(MvccTxn txn, MvccReader reader, byte[] userKey, TimeStamp commitTs) =>
        commitTs.IsZero ? Rollback(txn, reader, userKey) : Commit(txn, reader, userKey, commitTs);
}
