using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TinyKv.Storage.Faster;

/// <summary>Tuning of a <see cref="FasterKvEngine"/>. Defaults suit a store with a few GiB of data; see Storage/README.md.</summary>
public sealed class FasterKvOptions
{
    /// <summary>Directory of the engine's files. Required.</summary>
    public required string Directory { get; init; }

    /// <summary>Size of a preallocated WAL segment file. Default 64 MiB.</summary>
    public long WalSegmentSize { get; init; } = 64L << 20;

    /// <summary>
    /// Values up to this many bytes live inline in the index (memory); longer values go to the
    /// FASTER value store and may spill to disk (badger's ValueThreshold). Default 128 bytes.
    /// </summary>
    public int ValueThreshold { get; init; } = 128;

    /// <summary>
    /// Memory the FASTER value store keeps for its hybrid log, as a power of two (bits). Default 26
    /// (64 MiB). Values beyond it are read back from the value store's disk file.
    /// </summary>
    public int ValueMemorySizeBits { get; init; } = 26;

    /// <summary>Page size of the value store's hybrid log, as a power of two (bits). Default 20 (1 MiB).</summary>
    public int ValuePageSizeBits { get; init; } = 20;

    /// <summary>
    /// WAL size beyond which the engine writes a checkpoint (all live data at one sequence number)
    /// and deletes the segments it supersedes. Bounds disk use and recovery time. Default 256 MiB.
    /// </summary>
    public long CheckpointWalBytes { get; init; } = 256L << 20;

    /// <summary>Most batches one WAL write (and at most one fsync) carries. Default 4096.</summary>
    public int MaxGroupBatches { get; init; } = 4096;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// False skips every fsync: the engine is then not crash-safe. For in-process crash simulations
    /// only, which model durability themselves. Default true.
    /// </summary>
    internal bool Fsync { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Directory is required", nameof(Directory));
        }

        if (WalSegmentSize < 64 * 1024)
        {
            throw new ArgumentException($"WalSegmentSize must be at least 64 KiB, was {WalSegmentSize}", nameof(WalSegmentSize));
        }

        if (ValueThreshold < 0)
        {
            throw new ArgumentException($"ValueThreshold must not be negative, was {ValueThreshold}", nameof(ValueThreshold));
        }

        if (ValuePageSizeBits is < 12 or > 30 || ValueMemorySizeBits < ValuePageSizeBits + 1 || ValueMemorySizeBits > 40)
        {
            throw new ArgumentException(
                $"ValuePageSizeBits must be in [12, 30] and ValueMemorySizeBits in [ValuePageSizeBits + 1, 40]; were {ValuePageSizeBits} and {ValueMemorySizeBits}",
                nameof(ValueMemorySizeBits));
        }

        if (CheckpointWalBytes < WalSegmentSize)
        {
            throw new ArgumentException($"CheckpointWalBytes must be at least WalSegmentSize, was {CheckpointWalBytes}", nameof(CheckpointWalBytes));
        }

        if (MaxGroupBatches < 1)
        {
            throw new ArgumentException($"MaxGroupBatches must be positive, was {MaxGroupBatches}", nameof(MaxGroupBatches));
        }
    }
}
