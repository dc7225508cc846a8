namespace TinyKv.Bench.Storage;

/// <summary>The workload shape: 16-byte keys and 100-byte values, seeded.</summary>
internal static class BenchData
{
    public const int KeySize = 16;
    public const int ValueSize = 100;

    /// <summary>Key number <paramref name="i"/>: a fixed prefix and the big-endian number, so keys sort by number.</summary>
    public static byte[] Key(long i)
    {
        var key = new byte[KeySize];
        "tinykv-k"u8.CopyTo(key);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(8), i);
        return key;
    }

    public static byte[] Value(long i)
    {
        var value = new byte[ValueSize];
        new Random((int)i).NextBytes(value);
        return value;
    }
}
