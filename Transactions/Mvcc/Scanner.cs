using TinyKv.Storage;
using TinyKv.Transactions.Codec;

namespace TinyKv.Transactions.Mvcc;

/// <summary>
/// A snapshot scan of user keys at <see cref="ReadTs"/> in [lower, upper), forward or reverse
/// (TiKV's forward and backward kv scanners, merged). Two cursors walk CF lock and CF write in
/// step; for each user key the scanner yields the visible value, skips keys whose newest visible
/// record is a Delete (or that have none), and yields a <see cref="KeyIsLocked"/> entry for a key
/// whose lock the read must report (<see cref="Lock.BlocksRead"/>), continuing after it.
/// </summary>
public sealed class Scanner : IDisposable
{
    private readonly MvccReader _reader;
    private readonly IKvIterator _lockCursor;
    private readonly IKvIterator _writeCursor;
    private readonly bool _reverse;

    /// <param name="lowerUserKey">Inclusive lower bound; null or empty scans from the first key.</param>
    /// <param name="upperUserKey">Exclusive upper bound; null scans to the last key.</param>
    public Scanner(IKvSnapshot snapshot, TimeStamp readTs, byte[]? lowerUserKey, byte[]? upperUserKey, bool reverse)
    {
        ReadTs = readTs;
        _reverse = reverse;
        _reader = new MvccReader(snapshot);
        byte[]? lower = lowerUserKey is { Length: > 0 } ? MvccKey.Encode(lowerUserKey) : null;
        byte[]? upper = upperUserKey is null ? null : MvccKey.Encode(upperUserKey);
        _lockCursor = snapshot.NewIterator(ColumnFamily.Lock, new IteratorOptions(lower, upper));
        _writeCursor = snapshot.NewIterator(ColumnFamily.Write, new IteratorOptions(lower, upper));
        if (reverse)
        {
            _lockCursor.SeekToLast();
            _writeCursor.SeekToLast();
        }
        else
        {
            _lockCursor.SeekToFirst();
            _writeCursor.SeekToFirst();
        }
    }

    public TimeStamp ReadTs { get; }

    /// <summary>The next visible key in scan order, or false at the end of the range.</summary>
    public bool TryNext(out KvPair pair)
    {
        while (_lockCursor.Valid || _writeCursor.Valid)
        {
            byte[] current = NextUserKeyPosition(out bool atLock, out bool atWrite);
            TxnError? error = null;
            if (atLock)
            {
                var @lock = Lock.Parse(_lockCursor.Value);
                byte[] userKey = MvccKey.DecodeUserKey(current);
                if (@lock.BlocksRead(userKey, ReadTs))
                {
                    error = new KeyIsLocked(@lock.ToInfo(userKey));
                }

                Step(_lockCursor);
            }

            if (atWrite)
            {
                SkipVersions(current);
            }

            if (error is not null)
            {
                pair = new KvPair(MvccKey.DecodeUserKey(current), null, error);
                return true;
            }

            if (atWrite && _reader.GetValue(current, ReadTs) is { } value)
            {
                pair = new KvPair(MvccKey.DecodeUserKey(current), value, null);
                return true;
            }
        }

        pair = default;
        return false;
    }

    /// <summary>Up to <paramref name="limit"/> entries from the current position.</summary>
    public List<KvPair> Take(int limit)
    {
        var pairs = new List<KvPair>();
        while (pairs.Count < limit && TryNext(out var pair))
        {
            pairs.Add(pair);
        }

        return pairs;
    }

    public void Dispose()
    {
        _lockCursor.Dispose();
        _writeCursor.Dispose();
        _reader.Dispose();
    }

    /// <summary>The encoded key both cursors are heading to next, and which of them is on it.</summary>
    private byte[] NextUserKeyPosition(out bool atLock, out bool atWrite)
    {
        ReadOnlySpan<byte> lockKey = _lockCursor.Valid ? _lockCursor.Key : default;
        ReadOnlySpan<byte> writeKey = _writeCursor.Valid ? MvccKey.TruncateTs(_writeCursor.Key) : default;
        if (!_lockCursor.Valid)
        {
            atLock = false;
            atWrite = true;
            return writeKey.ToArray();
        }

        if (!_writeCursor.Valid)
        {
            atLock = true;
            atWrite = false;
            return lockKey.ToArray();
        }

        int order = lockKey.SequenceCompareTo(writeKey);
        if (_reverse)
        {
            order = -order;
        }

        atLock = order <= 0;
        atWrite = order >= 0;
        return atLock ? lockKey.ToArray() : writeKey.ToArray();
    }

    /// <summary>Moves the write cursor past every version of <paramref name="encodedKey"/> in scan order.</summary>
    private void SkipVersions(byte[] encodedKey)
    {
        if (_reverse)
        {
            // The encoded key alone sorts before all of its versions.
            _writeCursor.SeekForPrev(encodedKey);
        }
        else
        {
            _writeCursor.Seek(MvccKey.VersionsEnd(encodedKey));
        }
    }

    private void Step(IKvIterator cursor)
    {
        if (_reverse)
        {
            cursor.Prev();
        }
        else
        {
            cursor.Next();
        }
    }
}
