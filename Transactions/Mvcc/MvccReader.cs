using TinyKv.Storage;
using TinyKv.Transactions.Codec;

namespace TinyKv.Transactions.Mvcc;

/// <summary>
/// Point reads of the MVCC column families over one engine snapshot (TiKV's <c>MvccReader</c>).
/// Keys are encoded keys; timestamps select versions. The reader keeps one cursor per column
/// family and re-seeks it, so a command pays for iterator creation once.
/// </summary>
/// <remarks>
/// Does not own the snapshot; disposing the reader disposes only its cursors. A disposed reader may
/// be pointed at another snapshot (<see cref="Reset"/>): a command context reuses its reader.
/// </remarks>
/// <param name="snapshot">The snapshot read.</param>
/// <param name="borrowedReads">The snapshot's engine when it lends stored values, so a lock is parsed in place; null reads copies.</param>
public sealed class MvccReader(IKvSnapshot snapshot, IKvBorrowedReads? borrowedReads = null) : IDisposable
{
    private IKvIterator? _writeCursor;
    private IKvBorrowedReads? _borrowedReads = borrowedReads;

    public IKvSnapshot Snapshot { get; private set; } = snapshot;

    /// <summary>Reads <paramref name="snapshot"/> (of the engine <paramref name="borrowedReads"/>, as in the constructor) from now on; the cursors over the previous snapshot are disposed first.</summary>
    internal void Reset(IKvSnapshot snapshot, IKvBorrowedReads? borrowedReads)
    {
        Dispose();
        Snapshot = snapshot;
        _borrowedReads = borrowedReads;
    }

    /// <summary>The lock on the key, or null.</summary>
    public Lock? LoadLock(ReadOnlySpan<byte> encodedKey) =>
        TryLoadLock(encodedKey, out var @lock) ? @lock.ToLock() : null;

    /// <summary>
    /// The lock on the key, borrowed from its stored bytes (no copy of its fields, nor of the bytes
    /// when the engine lends them); false when there is none.
    /// </summary>
    public bool TryLoadLock(ReadOnlySpan<byte> encodedKey, out LockRef @lock)
    {
        if (IKvBorrowedReads.TryGet(_borrowedReads, Snapshot, ColumnFamily.Lock, encodedKey, out var bytes))
        {
            @lock = LockRef.Parse(bytes);
            return true;
        }

        @lock = default;
        return false;
    }

    /// <summary>The value a transaction that started at <paramref name="startTs"/> wrote, from CF default.</summary>
    public byte[]? LoadValue(ReadOnlySpan<byte> encodedKey, TimeStamp startTs)
    {
        Span<byte> scratch = stackalloc byte[MvccKey.ScratchSize];
        return Snapshot.Get(ColumnFamily.Default, MvccKey.AppendTs(encodedKey, startTs, scratch));
    }

    /// <summary>The write record at exactly <paramref name="commitTs"/>, if any.</summary>
    public Write? GetWriteAt(ReadOnlySpan<byte> encodedKey, TimeStamp commitTs)
    {
        Span<byte> scratch = stackalloc byte[MvccKey.ScratchSize];
        return Snapshot.Get(ColumnFamily.Write, MvccKey.AppendTs(encodedKey, commitTs, scratch)) is { } bytes ? Write.Parse(bytes) : null;
    }

    /// <summary>The newest write record with commit ts ≤ <paramref name="ts"/>, of any kind (TinyKV's <c>MostRecentWrite</c> at <see cref="TimeStamp.Max"/>).</summary>
    public (TimeStamp CommitTs, Write Write)? SeekWrite(ReadOnlySpan<byte> encodedKey, TimeStamp ts) =>
        TrySeekWrite(encodedKey, ts, out var commitTs, out var write) ? (commitTs, write.ToWrite()) : null;

    /// <summary>
    /// <see cref="SeekWrite"/> borrowing the record from the cursor (no copy of its short value):
    /// valid until the reader's next CF write read.
    /// </summary>
    public bool TrySeekWrite(ReadOnlySpan<byte> encodedKey, TimeStamp ts, out TimeStamp commitTs, out WriteRef write)
    {
        var cursor = SeekWriteCursor(encodedKey, ts);
        var key = cursor.Valid ? cursor.Key : default;
        if (!IsVersionOf(key, encodedKey))
        {
            commitTs = default;
            write = default;
            return false;
        }

        commitTs = MvccKey.DecodeTs(key);
        write = WriteRef.Parse(cursor.Value);
        return true;
    }

    /// <summary>
    /// The newest Put or Delete record with commit ts ≤ <paramref name="ts"/>, skipping Rollback
    /// and Lock records, which say nothing about the value.
    /// </summary>
    public (TimeStamp CommitTs, Write Write)? GetWrite(ReadOnlySpan<byte> encodedKey, TimeStamp ts)
    {
        var cursor = SeekWriteCursor(encodedKey, ts);
        for (var current = Current(cursor, encodedKey); current is { } found; current = Next(cursor, encodedKey))
        {
            if (found.Write.IsDataChange)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// The value visible at <paramref name="ts"/>: the newest committed Put (its short value, or its
    /// value in CF default), or null after a Delete or when none exists.
    /// </summary>
    public byte[]? GetValue(ReadOnlySpan<byte> encodedKey, TimeStamp ts)
    {
        if (GetWrite(encodedKey, ts) is not { Write: { Kind: WriteKind.Put } write })
        {
            return null;
        }

        return write.ShortValue ?? LoadValue(encodedKey, write.StartTs)
            ?? throw new InvalidDataException($"committed Put of txn {write.StartTs} has no value in CF default");
    }

    /// <summary>
    /// What CF write records about the transaction that started at <paramref name="startTs"/> on
    /// this key (TiKV's <c>get_txn_commit_record</c>; TinyKV's <c>CurrentWrite</c>). Only records
    /// with commit ts ≥ start ts can belong to it, so the walk stops below that.
    /// </summary>
    public TxnCommitRecord GetTxnCommitRecord(ReadOnlySpan<byte> encodedKey, TimeStamp startTs)
    {
        var cursor = SeekWriteCursor(encodedKey, TimeStamp.Max);
        for (var current = Current(cursor, encodedKey); current is var (commitTs, write); current = Next(cursor, encodedKey))
        {
            if (commitTs < startTs)
            {
                break;
            }

            if (write.StartTs == startTs)
            {
                return write.Kind == WriteKind.Rollback
                    ? new TxnCommitRecord(TxnCommitState.RolledBack, commitTs, write)
                    : new TxnCommitRecord(TxnCommitState.Committed, commitTs, write);
            }

            if (commitTs == startTs && write.HasOverlappedRollback)
            {
                return new TxnCommitRecord(TxnCommitState.RolledBack, commitTs, write);
            }
        }

        return TxnCommitRecord.None;
    }

    /// <summary>
    /// Locks in [<paramref name="startKey"/>, <paramref name="endKey"/>) (encoded keys; null end is
    /// unbounded) that satisfy <paramref name="filter"/>, at most <paramref name="limit"/>, in key order.
    /// </summary>
    public List<(byte[] EncodedKey, Lock Lock)> ScanLocks(byte[]? startKey, byte[]? endKey, Func<Lock, bool> filter, int limit)
    {
        var found = new List<(byte[], Lock)>();
        if (limit <= 0)
        {
            return found;
        }

        using var cursor = Snapshot.NewIterator(ColumnFamily.Lock, new IteratorOptions(startKey, endKey));
        for (cursor.SeekToFirst(); cursor.Valid && found.Count < limit; cursor.Next())
        {
            var @lock = Lock.Parse(cursor.Value);
            if (filter(@lock))
            {
                found.Add((cursor.Key.ToArray(), @lock));
            }
        }

        return found;
    }

    public void Dispose()
    {
        _writeCursor?.Dispose();
        _writeCursor = null;
    }

    /// <summary>The CF write cursor, positioned at the newest record of the key with commit ts ≤ <paramref name="ts"/> (or past it).</summary>
    private IKvIterator SeekWriteCursor(ReadOnlySpan<byte> encodedKey, TimeStamp ts)
    {
        var cursor = _writeCursor ??= Snapshot.NewIterator(ColumnFamily.Write);
        Span<byte> scratch = stackalloc byte[MvccKey.ScratchSize];
        cursor.Seek(MvccKey.AppendTs(encodedKey, ts, scratch));
        return cursor;
    }

    private static (TimeStamp CommitTs, Write Write)? Current(IKvIterator cursor, ReadOnlySpan<byte> encodedKey)
    {
        if (!cursor.Valid)
        {
            return null;
        }

        var key = cursor.Key;
        return IsVersionOf(key, encodedKey) ? (MvccKey.DecodeTs(key), Write.Parse(cursor.Value)) : null;
    }

    /// <summary>Whether <paramref name="key"/> is a versioned key of <paramref name="encodedKey"/>.</summary>
    private static bool IsVersionOf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> encodedKey) =>
        key.Length == encodedKey.Length + MvccKey.TimeStampSize && key.StartsWith(encodedKey);

    private static (TimeStamp CommitTs, Write Write)? Next(IKvIterator cursor, ReadOnlySpan<byte> encodedKey)
    {
        cursor.Next();
        return Current(cursor, encodedKey);
    }
}
