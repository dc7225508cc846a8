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

    /// <summary>
    /// The values of <see cref="Value"/> for 0..255, built once: a timed write loop takes value
    /// <paramref name="i"/> mod 256 from here, so it measures the engine rather than a seeded
    /// Random per write (the skeleton it is compared with builds no value either).
    /// </summary>
    private static readonly byte[][] Pool = [.. Enumerable.Range(0, 256).Select(i => Value(i))];

    public static ReadOnlySpan<byte> PooledValue(long i) => Pool[i & 255];

    public static byte[] Value(long i)
    {
        var value = new byte[ValueSize];
        new Random((int)i).NextBytes(value);
        return value;
    }
}
