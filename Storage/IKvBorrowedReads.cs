namespace TinyKv.Storage;

/// <summary>
/// Point reads through a snapshot that lend the stored value instead of copying it (RocksDB's
/// <c>PinnableSlice</c>), for hot readers that parse a small record and drop it, such as a
/// transaction reading a key's lock. Optional: <see cref="TryGet"/> copies through
/// <see cref="IKvSnapshot.Get"/> on an engine without it.
/// </summary>
public interface IKvBorrowedReads
{
    /// <summary>
    /// The value of <paramref name="key"/> in <paramref name="cf"/> as <paramref name="snapshot"/>
    /// sees it, borrowed: the engine never changes the bytes, and the span stays valid at least while
    /// the snapshot lives. Read it; never write through it or keep it past the snapshot.
    /// </summary>
    /// <param name="snapshot">A live snapshot of this engine; another engine's snapshot is an <see cref="ArgumentException"/>.</param>
    /// <returns>False when the key has no value; an empty span with true is a present, empty value.</returns>
    bool TryBorrow(IKvSnapshot snapshot, ColumnFamily cf, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value);

    /// <summary>Borrows through <paramref name="engine"/> when it can (non-null), else reads a copy from <paramref name="snapshot"/>.</summary>
    static bool TryGet(IKvBorrowedReads? engine, IKvSnapshot snapshot, ColumnFamily cf, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (engine is not null)
        {
            return engine.TryBorrow(snapshot, cf, key, out value);
        }

        byte[]? copy = snapshot.Get(cf, key);
        value = copy;
        return copy is not null;
    }
}
