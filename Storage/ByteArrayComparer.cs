namespace TinyKv.Storage;

/// <summary>Orders keys as engines do: unsigned lexicographic byte order, shorter prefix first.</summary>
/// <remarks>
/// Deliberately the runtime's plain comparison, not the index's <c>KeyOrder</c>: the reference
/// engine and the test oracles order keys with it, so they stay independent of the code they check.
/// </remarks>
public sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static ByteArrayComparer Instance { get; } = new();

    private ByteArrayComparer()
    {
    }

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
