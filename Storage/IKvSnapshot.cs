namespace TinyKv.Storage;

/// <summary>
/// A consistent point-in-time view of the whole engine, all column families included. Writes made
/// after the snapshot was taken are never visible through it. Dispose it promptly: versions it
/// pins cannot be reclaimed while it lives.
/// </summary>
public interface IKvSnapshot : IDisposable
{
    /// <summary>The sequence number of the last batch this snapshot sees.</summary>
    ulong Sequence { get; }

    /// <summary>The value of <paramref name="key"/>, or null when it is missing. An empty array is a present, empty value.</summary>
    byte[]? Get(ColumnFamily cf, ReadOnlySpan<byte> key);

    /// <summary>A new iterator over <paramref name="cf"/>; dispose it before the snapshot.</summary>
    IKvIterator NewIterator(ColumnFamily cf, IteratorOptions options = default);
}
