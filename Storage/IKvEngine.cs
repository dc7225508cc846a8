namespace TinyKv.Storage;

/// <summary>
/// A store's key-value engine: column families, atomic write batches, consistent snapshots and
/// the range helpers the raftstore needs. Never mentions its backend (engine_traits' rule).
/// </summary>
/// <remarks>
/// Contracts every implementation keeps (checked by the conformance suite):
/// <list type="number">
/// <item>Batches are atomic, also across a crash, and are applied in one total order; after a
/// crash the engine exposes exactly a prefix of that order that contains every batch whose
/// <see cref="WriteBatch.Sync"/> write returned.</item>
/// <item>A snapshot sees every batch whose write returned before <see cref="Snapshot"/> was
/// called and none that starts after.</item>
/// <item>Methods are thread-safe; concurrent synced writers share fsyncs (group commit).</item>
/// <item><see cref="WriteAsync"/> may complete synchronously: a durable engine commits a write on
/// the caller's thread when it is idle, blocking the caller for one fsync.</item>
/// <item>Use after <see cref="IDisposable.Dispose"/> throws <see cref="ObjectDisposedException"/>.</item>
/// </list>
/// </remarks>
public interface IKvEngine : IDisposable
{
    /// <summary>Applies <paramref name="batch"/> atomically; returns once it is visible, and durable if <see cref="WriteBatch.Sync"/>.</summary>
    ValueTask WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default);

    /// <summary>A consistent view of all column families as of now.</summary>
    IKvSnapshot Snapshot();

    /// <summary>
    /// The value of <paramref name="key"/> in <paramref name="cf"/> as of now (a private copy), or
    /// null: what a snapshot taken now would return, without keeping one.
    /// </summary>
    byte[]? Get(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        using var snapshot = Snapshot();
        return snapshot.Get(cf, key);
    }

    /// <summary>Approximate bytes (keys + values, all data column families) in [<paramref name="startKey"/>, <paramref name="endKey"/>); an empty end means unbounded.</summary>
    long ApproximateSize(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey);

    /// <summary>
    /// A key that splits [<paramref name="startKey"/>, <paramref name="endKey"/>) into two halves of
    /// about equal size (by the data column families), or null when the range holds too little to split.
    /// An empty end means unbounded. The result is strictly inside the range.
    /// </summary>
    byte[]? SplitKey(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey);
}
