namespace TinyKv.Storage.Faster;

/// <summary>The first byte of every KV WAL record payload. Values are part of the on-disk format: never renumber.</summary>
internal enum WalRecordKind : byte
{
    /// <summary>One write batch: u64 sequence, varint op count, then per op: kind, cf, key bytes, value bytes.</summary>
    Batch = 1,

    /// <summary>Starts a checkpoint at u64 sequence: the state it rebuilds replaces everything before it.</summary>
    CheckpointBegin = 2,

    /// <summary>Part of a checkpoint: varint count, then per pair: cf, key bytes, value bytes.</summary>
    CheckpointData = 3,

    /// <summary>Ends the checkpoint begun at u64 sequence; a checkpoint without its end is ignored.</summary>
    CheckpointEnd = 4,
}
