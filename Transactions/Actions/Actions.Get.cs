using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// Snapshot read of <paramref name="userKey"/> at <paramref name="readTs"/> (Percolator §2.2, Get):
    /// the value of the newest Put committed at or before the read, or null when there is none or
    /// a Delete is newer. Rollback and Lock records are skipped.
    /// </summary>
    /// <returns>
    /// <see cref="KeyIsLocked"/> when a lock that may commit into the snapshot is present (a
    /// transaction started at or before the read; see <see cref="Lock.BlocksRead"/>): the reader
    /// must wait or resolve it, because the value it would return could still change.
    /// </returns>
    public static TxnError? Get(MvccReader reader, byte[] userKey, TimeStamp readTs, out byte[]? value)
    {
        ReadOnlySpan<byte> encoded = MvccKey.Encode(userKey, stackalloc byte[MvccKey.ScratchSize]);
        if (reader.LoadLock(encoded) is { } @lock && @lock.BlocksRead(userKey, readTs))
        {
            value = null;
            return new KeyIsLocked(@lock.ToInfo(userKey));
        }

        value = reader.GetValue(encoded, readTs);
        return null;
    }
}
