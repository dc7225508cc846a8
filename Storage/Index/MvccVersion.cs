namespace TinyKv.Storage.Index;

/// <summary>
/// One version of a key: the value a batch with <see cref="Sequence"/> wrote, or a tombstone.
/// Versions of a key form a chain from newest to oldest (<see cref="Older"/>).
/// </summary>
/// <remarks>
/// A value lives either inline (<see cref="Inline"/>, values up to the engine's value threshold,
/// badger's rule) or in the value store under <see cref="ValueId"/>. Immutable except for
/// <see cref="Older"/>, which only the writer changes, to cut reclaimed versions off the chain.
/// </remarks>
internal sealed class MvccVersion(ulong sequence, byte[]? inline, long valueId, int length, MvccVersion? older)
{
    private MvccVersion? _older = older;

    public ulong Sequence { get; } = sequence;

    public byte[]? Inline { get; } = inline;

    /// <summary>Key of the value in the value store, or -1 when the value is inline or this is a tombstone.</summary>
    public long ValueId { get; } = valueId;

    /// <summary>Length of the value in bytes; -1 for a tombstone.</summary>
    public int Length { get; } = length;

    public bool IsTombstone => Length < 0;

    public MvccVersion? Older
    {
        get => Volatile.Read(ref _older);
        set => Volatile.Write(ref _older, value);
    }

    public static MvccVersion Tombstone(ulong sequence, MvccVersion? older) => new(sequence, null, -1, -1, older);
}
