using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.ReadOnly;

namespace TinyKv.Raft;

/// <summary>
/// Everything a node asks the application to do in one round: persist, send, apply. See
/// Raft/README.md for the order (the Ready-loop contract).
/// </summary>
public sealed class Ready
{
    /// <summary>The new leader and role, or null when unchanged since the last Ready.</summary>
    public SoftState? SoftState { get; init; }

    /// <summary>The state to persist before sending messages; empty (all zero) when unchanged.</summary>
    public required HardState HardState { get; init; }

    /// <summary>Entries to append to stable storage before sending messages.</summary>
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>A snapshot to persist and apply; null when none.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>Committed entries to apply to the state machine, in order (persisted first if also in <see cref="Entries"/>).</summary>
    public IReadOnlyList<Entry> CommittedEntries { get; init; } = [];

    /// <summary>
    /// Messages to send after Entries, HardState and Snapshot are persisted. The list is reused
    /// by the node after <see cref="RawNode.Advance"/>; the messages in it are not.
    /// </summary>
    public IReadOnlyList<Message> Messages { get; init; } = [];

    /// <summary>Answers to ReadIndex requests: serve each read once applied reaches its index.</summary>
    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    /// <summary>Whether HardState and Entries must be written with fsync (term, vote or log changed).</summary>
    public bool MustSync { get; init; }

    public static bool IsEmptyHardState(HardState hs) => hs.Term == 0 && hs.Vote == 0 && hs.Commit == 0;

    public static bool IsEmptySnapshot(Snapshot? s) => s is null || s.Metadata is null || s.Metadata.Index == 0;
}
