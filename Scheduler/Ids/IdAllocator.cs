namespace TinyKv.Scheduler.Ids;

/// <summary>
/// Allocates cluster-unique ids (stores, regions, peers) starting at 1. Thread-safe.
/// </summary>
/// <remarks>
/// Invariant: every id handed out is ≤ the saved high-water mark, so after a restart (a new
/// allocator over the same store) the first id is above everything issued before. The mark moves
/// <see cref="WindowSize"/> ids ahead at a time: one storage write per window (PD's id allocator).
/// </remarks>
public sealed class IdAllocator
{
    /// <summary>The storage key of the id high-water mark.</summary>
    public const string StorageKey = "alloc_id";

    private readonly IHighWaterMarkStore _store;
    private readonly Lock _gate = new();
    private ulong _last;
    private ulong _saved;

    public IdAllocator(IHighWaterMarkStore store, ulong windowSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfZero(windowSize);
        _store = store;
        WindowSize = windowSize;
        _last = _saved = store.TryLoad(StorageKey, out long mark) ? (ulong)mark : 0;
    }

    public ulong WindowSize { get; }

    /// <summary>A fresh id, greater than every id this allocator (or any before it over the same store) returned.</summary>
    public ulong Alloc()
    {
        lock (_gate)
        {
            if (_last == _saved)
            {
                ulong next = _saved + WindowSize;
                _store.Save(StorageKey, (long)next);
                _saved = next;
            }

            return ++_last;
        }
    }
}
