using System.Runtime.CompilerServices;

namespace TinyKv.Storage.Index;

/// <summary>
/// Packs the key-and-value arrays of many entries into 1 MiB chunks, which live on the large
/// object heap: the garbage collector neither marks nor copies their contents when it collects
/// the young generations. Recovery uses one while it replays, when every entry it creates
/// survives and collections would otherwise copy them all.
/// </summary>
/// <remarks>
/// A chunk stays in memory while any entry in it lives, so space of entries that later leave
/// the index is not returned until the chunk's last entry leaves: the retained bytes are at most
/// the key and value bytes recovered at open (reclaimed at the next open, which replays only live
/// pairs from the checkpoint). One writer.
/// </remarks>
internal sealed class EntryArena
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Longer slices get an array of their own, so a chunk is never mostly one entry.</summary>
    private const int MaxSlice = ChunkSize / 16;
    private byte[] _chunk = [];
    private int _used;

    /// <summary>A slice of <paramref name="length"/> bytes: its array and where in it the slice starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (byte[] Array, int Offset) Allocate(int length)
    {
        if (length > MaxSlice)
        {
            return (GC.AllocateUninitializedArray<byte>(length), 0);
        }

        if (_used + length > _chunk.Length)
        {
            _chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
            _used = 0;
        }

        int offset = _used;
        _used += length;
        return (_chunk, offset);
    }
}
