namespace TinyKv.Grains.Interfaces;

/// <summary>
/// Size limits of the raw API, checked by the store (authoritative) and by the client before
/// sending. They sit below the transport's 4 MiB frame so that an oversized request is answered
/// with its error code instead of being cut off by the wire.
/// </summary>
public static class RawKvLimits
{
    /// <summary>Largest key in bytes: 8 KiB, TiKV's default max-key-size.</summary>
    public const int MaxKeySize = 8 * 1024;

    /// <summary>Largest value in bytes: 2 MiB.</summary>
    public const int MaxValueSize = 2 * 1024 * 1024;

    /// <summary>Most keys or pairs in one batch request.</summary>
    public const int MaxBatchCount = 4096;

    /// <summary>Most pairs one scan page returns (and the page size when a scan's limit is 0).</summary>
    public const int MaxScanLimit = 10_000;
}
