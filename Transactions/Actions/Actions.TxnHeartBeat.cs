using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// Keeps a long transaction alive: raises its primary lock's TTL to
    /// <paramref name="adviseTtl"/> ms (never lowers it), so resolvers do not roll it back.
    /// </summary>
    /// <returns>
    /// Null with the lock's TTL after the call in <paramref name="ttl"/>, or <see cref="TxnNotFound"/>
    /// when the primary holds no lock of this transaction (it committed or was rolled back).
    /// </returns>
    public static TxnError? TxnHeartBeat(MvccTxn txn, MvccReader reader, byte[] primaryKey, ulong adviseTtl, out ulong ttl)
    {
        ReadOnlySpan<byte> encoded = MvccKey.Encode(primaryKey, stackalloc byte[MvccKey.ScratchSize]);
        if (reader.LoadLock(encoded) is not { } @lock || @lock.StartTs != txn.StartTs)
        {
            ttl = 0;
            return new TxnNotFound(txn.StartTs, primaryKey);
        }

        if (adviseTtl > @lock.Ttl)
        {
            txn.PutLock(encoded, @lock with { Ttl = adviseTtl });
        }

        ttl = Math.Max(adviseTtl, @lock.Ttl);
        return null;
    }
}
