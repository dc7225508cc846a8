namespace TinyKv.Storage;

/// <summary>
/// An ordered cursor over one column family of a <see cref="IKvSnapshot"/>, in byte order of
/// keys (RocksDB's iterator contract). A new iterator is not positioned: call a Seek method first.
/// </summary>
/// <remarks>
/// Contract: <see cref="Key"/> and <see cref="Value"/> may be read only while <see cref="Valid"/>
/// is true, and the spans they return are valid until the next move or dispose. Bounds from
/// <see cref="IteratorOptions"/> are honoured by every move: the iterator becomes invalid rather
/// than step outside them.
/// </remarks>
public interface IKvIterator : IDisposable
{
    bool Valid { get; }

    ReadOnlySpan<byte> Key { get; }

    ReadOnlySpan<byte> Value { get; }

    /// <summary>Positions at the first key ≥ <paramref name="key"/> (clamped to the lower bound).</summary>
    void Seek(ReadOnlySpan<byte> key);

    /// <summary>Positions at the last key ≤ <paramref name="key"/> (clamped below the upper bound).</summary>
    void SeekForPrev(ReadOnlySpan<byte> key);

    void SeekToFirst();

    void SeekToLast();

    void Next();

    void Prev();
}

/// <summary>Bounds of an iterator: [LowerBound, UpperBound); null means unbounded, and so does an empty UpperBound (as an empty end key does everywhere).</summary>
public readonly record struct IteratorOptions(byte[]? LowerBound = null, byte[]? UpperBound = null);
