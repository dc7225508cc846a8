using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TinyKv.Storage.RaftLog;

/// <summary>Tuning of a <see cref="SegmentRaftLogEngine"/>; see Storage/README.md.</summary>
public sealed class RaftLogEngineOptions
{
    /// <summary>Directory of the engine's files. Required.</summary>
    public required string Directory { get; init; }

    /// <summary>Size of a preallocated log segment. Default 64 MiB.</summary>
    public long SegmentSize { get; init; } = 64L << 20;

    /// <summary>
    /// Log size beyond which the engine rewrites the live entries and states into a fresh segment
    /// and deletes the older ones, reclaiming compacted prefixes (and when the log exceeds twice
    /// the last rewrite). Default 128 MiB.
    /// </summary>
    public long RewriteBytes { get; init; } = 128L << 20;

    /// <summary>Most batches one log write (and at most one fsync) carries. Default 4096.</summary>
    public int MaxGroupBatches { get; init; } = 4096;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>False skips every fsync; for in-process crash simulations only. Default true.</summary>
    internal bool Fsync { get; init; } = true;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Directory is required", nameof(Directory));
        }

        if (SegmentSize < 64 * 1024)
        {
            throw new ArgumentException($"SegmentSize must be at least 64 KiB, was {SegmentSize}", nameof(SegmentSize));
        }

        if (RewriteBytes < SegmentSize)
        {
            throw new ArgumentException($"RewriteBytes must be at least SegmentSize, was {RewriteBytes}", nameof(RewriteBytes));
        }

        if (MaxGroupBatches < 1)
        {
            throw new ArgumentException($"MaxGroupBatches must be positive, was {MaxGroupBatches}", nameof(MaxGroupBatches));
        }
    }
}
