using TinyKv.Storage;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Actions;

public static partial class TxnActions
{
    /// <summary>
    /// Snapshot scan of user keys in [<paramref name="lowerKey"/>, <paramref name="upperKey"/>) at
    /// <paramref name="readTs"/>, ascending or (reverse) descending, of at most
    /// <paramref name="limit"/> entries. Deleted and never-written keys are skipped. A key whose
    /// lock the read must report (as in <see cref="Get"/>) yields an entry carrying
    /// <see cref="KeyIsLocked"/> instead of a value and counts toward the limit; the scan goes on
    /// after it (TinyKV's per-key errors).
    /// </summary>
    public static List<KvPair> Scan(IKvSnapshot snapshot, byte[]? lowerKey, byte[]? upperKey, TimeStamp readTs, int limit, bool reverse)
    {
        if (limit <= 0)
        {
            return [];
        }

        using var scanner = new Scanner(snapshot, readTs, lowerKey, upperKey, reverse);
        return scanner.Take(limit);
    }
}
