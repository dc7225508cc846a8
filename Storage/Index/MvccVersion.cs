namespace TinyKv.Storage.Index;

/// <summary>
/// One version of a key: the value a batch with <see cref="Sequence"/> wrote, or a tombstone.
/// Versions of a key form a chain from newest to oldest (<see cref="Older"/>); the oldest one a
/// key was created with is its <see cref="MvccEntry"/> itself, so a key written once costs no
/// separate version object.
/// </summary>
/// <remarks>
/// A value lives either inline (<see cref="InlineValue"/>, values up to the engine's value
/// threshold, badger's rule) or in the value store under <see cref="ValueId"/>. An inline value is
/// the slice [<c>valueOffset</c>, <c>valueOffset</c> + <see cref="Length"/>) of an immutable byte
/// array (an entry shares one array between its key and its own value). Immutable except for
/// <see cref="Older"/>, which only the writer changes, to cut reclaimed versions off the chain.
/// </remarks>
internal class MvccVersion
{
    private readonly byte[] _bytes;
    private readonly int _valueOffset;
    private MvccVersion? _older;

    /// <param name="bytes">The array holding the inline value (unused for a tombstone or a value in the value store).</param>
    /// <param name="valueOffset">Where the inline value starts in <paramref name="bytes"/>.</param>
    /// <param name="valueId">Key of the value in the value store, or -1.</param>
    /// <param name="length">Length of the value; -1 for a tombstone.</param>
    protected MvccVersion(ulong sequence, byte[] bytes, int valueOffset, long valueId, int length, MvccVersion? older)
    {
        Sequence = sequence;
        _bytes = bytes;
        _valueOffset = valueOffset;
        ValueId = valueId;
        Length = length;
        _older = older;
    }

    public ulong Sequence { get; }

    /// <summary>Key of the value in the value store, or -1 when the value is inline or this is a tombstone.</summary>
    public long ValueId { get; }

    /// <summary>Length of the value in bytes; -1 for a tombstone.</summary>
    public int Length { get; }

    public bool IsTombstone => Length < 0;

    /// <summary>The array behind <see cref="InlineValue"/> (an entry keeps its key at its start).</summary>
    protected byte[] Bytes => _bytes;

    /// <summary>Where the inline value starts in <see cref="Bytes"/>.</summary>
    protected int ValueOffset => _valueOffset;

    /// <summary>True when the value is held here (<see cref="InlineValue"/>), not in the value store.</summary>
    public bool IsInline => ValueId < 0 && Length >= 0;

    /// <summary>The inline value; empty unless <see cref="IsInline"/>.</summary>
    public ReadOnlySpan<byte> InlineValue => IsInline ? new ReadOnlySpan<byte>(_bytes, _valueOffset, Length) : default;

    public MvccVersion? Older
    {
        get => Volatile.Read(ref _older);
        set => Volatile.Write(ref _older, value);
    }

    /// <summary>A version whose value is <paramref name="value"/>, copied inline.</summary>
    public static MvccVersion Inline(ulong sequence, ReadOnlySpan<byte> value, MvccVersion? older) =>
        new(sequence, value.ToArray(), 0, -1, value.Length, older);

    /// <summary>A version whose value of <paramref name="length"/> bytes is in the value store under <paramref name="valueId"/>.</summary>
    public static MvccVersion Stored(ulong sequence, long valueId, int length, MvccVersion? older) =>
        new(sequence, [], 0, valueId, length, older);

    public static MvccVersion Tombstone(ulong sequence, MvccVersion? older) => new(sequence, [], 0, -1, -1, older);
}
