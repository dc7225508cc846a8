namespace TinyKv.Storage.Index;

/// <summary>
/// A key of the ordered index and its version chain. Readers walk the chain lock-free; one writer
/// prepends versions and trims old ones.
/// </summary>
internal class MvccEntry(byte[] key)
{
    private MvccVersion? _head;

    public byte[] Key { get; } = key;

    /// <summary>The newest version, or null for a key that has none yet.</summary>
    public MvccVersion? Head
    {
        get => Volatile.Read(ref _head);
        set => Volatile.Write(ref _head, value);
    }

    /// <summary>The newest version with a sequence ≤ <paramref name="sequence"/>, or null.</summary>
    public MvccVersion? Visible(ulong sequence)
    {
        var v = Head;
        while (v is not null && v.Sequence > sequence)
        {
            v = v.Older;
        }

        return v;
    }
}
