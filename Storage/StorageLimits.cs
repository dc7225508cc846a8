namespace TinyKv.Storage;

/// <summary>
/// Documented size limits every engine enforces. A write beyond them is rejected with
/// <see cref="ArgumentException"/> before anything is written.
/// </summary>
public static class StorageLimits
{
    /// <summary>Largest key, in bytes (TiKV's default max key size is 8 KiB; we allow 64 KiB).</summary>
    public const int MaxKeySize = 64 * 1024;

    /// <summary>Largest value, in bytes.</summary>
    public const int MaxValueSize = 32 * 1024 * 1024;

    /// <summary>Throws when <paramref name="key"/> is too large. The empty key is a valid key.</summary>
    public static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length > MaxKeySize)
        {
            throw new ArgumentException($"key of {key.Length} bytes exceeds the limit of {MaxKeySize} bytes", nameof(key));
        }
    }

    /// <summary>Throws when <paramref name="value"/> is too large. Empty values are allowed and differ from missing keys.</summary>
    public static void CheckValue(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxValueSize)
        {
            throw new ArgumentException($"value of {value.Length} bytes exceeds the limit of {MaxValueSize} bytes", nameof(value));
        }
    }
}
