using System.Runtime.CompilerServices;

namespace TinyKv.Storage.Index;

/// <summary>
/// A key of the ordered index: its skip-list node, its slot in the exact-lookup table, and the
/// first version the key was written with, all in one object. Newer versions are prepended as
/// <see cref="MvccVersion"/> objects; readers walk the chain lock-free from <see cref="Head"/>,
/// and one writer prepends versions and trims old ones.
/// </summary>
/// <remarks>
/// The key and the entry's own inline value share one immutable array slice (key first; an
/// <see cref="EntryArena"/> packs the slices of many entries into one array). Most keys are
/// written once (Percolator's data and write column families carry the timestamp in the key), so
/// a key costs this object, that array and, for one node in four, an array of upper links. When
/// the entry's own version is trimmed away, its inline value stays in the array until the key
/// leaves the index (at most the engine's value threshold).
/// </remarks>
internal sealed class MvccEntry : MvccVersion
{
    private MvccVersion _head;
    private MvccEntry? _next0;
    private MvccEntry?[]? _upper;

    private readonly int _keyStart;

    private MvccEntry(ReadOnlySpan<byte> key, ulong sequence, ReadOnlySpan<byte> inlineValue, long valueId, int length, (byte[] Array, int Offset) bytes)
        : base(sequence, Fill(bytes, key, inlineValue), bytes.Offset + key.Length, valueId, length, null)
    {
        _keyStart = bytes.Offset;
        _head = this;
    }

    public ReadOnlySpan<byte> Key
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Bytes, _keyStart, ValueOffset - _keyStart);
    }

    /// <summary>The newest version (this entry itself until the key is written again).</summary>
    public MvccVersion Head
    {
        get => Volatile.Read(ref _head);
        set => Volatile.Write(ref _head, value);
    }

    /// <summary>Hash of <see cref="Key"/>, set by <see cref="EntryTable"/> before the entry is published.</summary>
    internal int KeyHash { get; set; }

    /// <summary>Number of skip-list levels this node is linked at.</summary>
    internal int Height => _upper is null ? 1 : _upper.Length + 1;

    /// <summary>A new key whose first version holds <paramref name="value"/> inline; its bytes come from <paramref name="arena"/> when given.</summary>
    public static MvccEntry Inline(ReadOnlySpan<byte> key, ulong sequence, ReadOnlySpan<byte> value, EntryArena? arena = null) =>
        new(key, sequence, value, -1, value.Length, Allocate(key.Length + value.Length, arena));

    /// <summary>A new key whose first version's value is in the value store; its key comes from <paramref name="arena"/> when given.</summary>
    public static MvccEntry Stored(ReadOnlySpan<byte> key, ulong sequence, long valueId, int length, EntryArena? arena = null) =>
        new(key, sequence, default, valueId, length, Allocate(key.Length, arena));

    /// <summary>The skip list's head: an empty key with a tombstone, never published to readers as an entry.</summary>
    internal static MvccEntry Sentinel(int height)
    {
        var sentinel = new MvccEntry(default, 0, default, -1, -1, ([], 0));
        sentinel.SetHeight(height);
        return sentinel;
    }

    /// <summary>The newest version with a sequence ≤ <paramref name="sequence"/>, or null.</summary>
    public MvccVersion? Visible(ulong sequence)
    {
        MvccVersion? v = Head;
        while (v is not null && v.Sequence > sequence)
        {
            v = v.Older;
        }

        return v;
    }

    /// <summary>Sizes the node's links. Writer only, before the node is published.</summary>
    internal void SetHeight(int height) => _upper = height > 1 ? new MvccEntry?[height - 1] : null;

    internal MvccEntry? GetNext(int level) => level == 0 ? Volatile.Read(ref _next0) : Volatile.Read(ref _upper![level - 1]);

    internal void SetNext(int level, MvccEntry? next)
    {
        if (level == 0)
        {
            Volatile.Write(ref _next0, next);
        }
        else
        {
            Volatile.Write(ref _upper![level - 1], next);
        }
    }

    private static (byte[] Array, int Offset) Allocate(int length, EntryArena? arena) =>
        arena?.Allocate(length) ?? (GC.AllocateUninitializedArray<byte>(length), 0);

    private static byte[] Fill((byte[] Array, int Offset) bytes, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        key.CopyTo(bytes.Array.AsSpan(bytes.Offset));
        value.CopyTo(bytes.Array.AsSpan(bytes.Offset + key.Length));
        return bytes.Array;
    }
}
