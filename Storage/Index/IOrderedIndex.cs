namespace TinyKv.Storage.Index;

/// <summary>
/// An ordered set of <see cref="MvccEntry"/> by key (unsigned byte order), the MVCC index of one
/// column family. FASTER's hash index has no order, so the engine keeps this beside it.
/// </summary>
/// <remarks>
/// Concurrency contract: one writer (the engine's write loop) calls <see cref="Add"/> and
/// <see cref="Remove"/>; any number of readers call the lookups at the same time without locks.
/// A reader positioned on a removed entry may keep moving forward from it; it can miss only
/// entries added after it started, whose versions are all newer than its snapshot.
/// </remarks>
internal interface IOrderedIndex
{
    /// <summary>Number of entries.</summary>
    int Count { get; }

    /// <summary>The entry of <paramref name="key"/>, or null.</summary>
    MvccEntry? Find(ReadOnlySpan<byte> key);

    /// <summary>Links <paramref name="entry"/>, whose key must not be in the index yet. Writer only.</summary>
    void Add(MvccEntry entry);

    /// <summary>Unlinks <paramref name="entry"/>. Writer only.</summary>
    void Remove(MvccEntry entry);

    /// <summary>
    /// Ends the bulk load an index may have been created in (a replay, before any reader exists);
    /// afterwards every lookup may run concurrently with the writer. Writer only.
    /// </summary>
    void EndBulkLoad();

    /// <summary>The first entry with key ≥ <paramref name="key"/>, or null.</summary>
    MvccEntry? SeekGreaterOrEqual(ReadOnlySpan<byte> key);

    /// <summary>The last entry with key &lt; <paramref name="key"/>, or null.</summary>
    MvccEntry? SeekLessThan(ReadOnlySpan<byte> key);

    MvccEntry? First();

    MvccEntry? Last();

    /// <summary>The entry after <paramref name="entry"/> in key order, or null.</summary>
    MvccEntry? Next(MvccEntry entry);
}
