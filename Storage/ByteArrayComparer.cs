using TinyKv.Storage.Index;

namespace TinyKv.Storage;

/// <summary>Orders keys as engines do: unsigned lexicographic byte order, shorter prefix first (<see cref="KeyOrder"/>, the index's own comparison).</summary>
public sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static ByteArrayComparer Instance { get; } = new();

    private ByteArrayComparer()
    {
    }

    public int Compare(byte[]? x, byte[]? y) => KeyOrder.Compare(x, y);

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
