using TinyKv.Transactions.Actions;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Commands;

public sealed partial class TxnStore
{
    /// <summary>Locks resolved per latched batch.</summary>
    public const int ResolveLockBatchSize = 256;

    /// <summary>
    /// Commits (<paramref name="commitTs"/> &gt; 0) or rolls back (zero) every lock of txn
    /// <paramref name="startTs"/> in [<paramref name="lowerKey"/>, <paramref name="upperKey"/>)
    /// (<see cref="TxnActions.ResolveLock"/> per key). Works in batches, as TiKV's read phase and
    /// write phase: a latch-free scan finds up to <see cref="ResolveLockBatchSize"/> locks, then a
    /// latched command resolves those still locked by the transaction. Each batch is atomic; the first error stops.
    /// </summary>
    public async ValueTask<TxnError?> ResolveLockAsync(
        TimeStamp startTs,
        TimeStamp commitTs,
        byte[]? lowerKey = null,
        byte[]? upperKey = null,
        CancellationToken cancellationToken = default)
    {
        if (!commitTs.IsZero && commitTs <= startTs)
        {
            return new InvalidRequest($"commit ts {commitTs} must be after start ts {startTs}");
        }

        byte[]? from = lowerKey is { Length: > 0 } ? MvccKey.Encode(lowerKey) : null;
        byte[]? to = upperKey is null ? null : MvccKey.Encode(upperKey);
        while (true)
        {
            List<(byte[] EncodedKey, Lock Lock)> locks;
            using (var snapshot = _engine.Snapshot())
            using (var reader = new MvccReader(snapshot, _borrowedReads))
            {
                locks = reader.ScanLocks(from, to, l => l.StartTs == startTs, ResolveLockBatchSize);
            }

            if (locks.Count == 0)
            {
                return null;
            }

            byte[][] keys = [.. locks.Select(l => MvccKey.DecodeUserKey(l.EncodedKey))];
            var error = await ExecuteAsync(
                RentContext(keys),
                startTs,
                (keys, locks, commitTs),
                static (txn, reader, s) =>
                {
                    for (int i = 0; i < s.keys.Length; i++)
                    {
                        if (reader.LoadLock(s.locks[i].EncodedKey)?.StartTs != txn.StartTs)
                        {
                            continue;
                        }

                        if (TxnActions.ResolveLock(txn, reader, s.keys[i], s.commitTs) is { } failed)
                        {
                            txn.Discard();
                            return failed;
                        }
                    }

                    return null;
                },
                cancellationToken).ConfigureAwait(false);
            if (error is not null || locks.Count < ResolveLockBatchSize)
            {
                return error;
            }

            from = [.. locks[^1].EncodedKey, 0];
        }
    }
}
