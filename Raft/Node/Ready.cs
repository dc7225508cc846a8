using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.ReadOnly;

namespace TinyKv.Raft;

/// <summary>
/// Everything a node asks the application to do in one round: persist, send, apply. See
/// Raft/README.md for the order (the Ready-loop contract).
/// </summary>
/// <remarks>
/// Produced only by <see cref="RawNode.Ready"/>. A Ready and everything it holds (lists, the
/// HardState object) stay valid until the next <see cref="RawNode.Ready"/> call after it was
/// passed to <see cref="RawNode.Advance"/>: the node then reuses them for the next round, so it
/// allocates nothing per round beyond the messages. Copy what must outlive that; the Entry and
/// Message objects themselves are never reused.
/// </remarks>
public sealed class Ready
{
    /// <summary>Backs <see cref="Entries"/>; refilled when this Ready is reused.</summary>
    internal readonly List<Entry> EntriesBuffer = [];

    /// <summary>Backs <see cref="CommittedEntries"/>; refilled when this Ready is reused.</summary>
    internal readonly List<Entry> CommittedEntriesBuffer = [];

    internal Ready()
    {
        Entries = EntriesBuffer;
        CommittedEntries = CommittedEntriesBuffer;
    }

    /// <summary>The new leader and role, or null when unchanged since the last Ready.</summary>
    public SoftState? SoftState { get; internal set; }

    /// <summary>The state to persist before sending messages; empty (all zero) when unchanged.</summary>
    public HardState HardState { get; } = new();

    /// <summary>Entries to append to stable storage before sending messages.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>A snapshot to persist and apply; null when none.</summary>
    public Snapshot? Snapshot { get; internal set; }

    /// <summary>Committed entries to apply to the state machine, in order (persisted first if also in <see cref="Entries"/>).</summary>
    public IReadOnlyList<Entry> CommittedEntries { get; }

    /// <summary>Messages to send after Entries, HardState and Snapshot are persisted.</summary>
    public IReadOnlyList<Message> Messages { get; internal set; } = [];

    /// <summary>Answers to ReadIndex requests: serve each read once applied reaches its index.</summary>
    public IReadOnlyList<ReadState> ReadStates { get; internal set; } = [];

    /// <summary>Whether HardState and Entries must be written with fsync (term, vote or log changed).</summary>
    public bool MustSync { get; internal set; }

    public static bool IsEmptyHardState(HardState hs) => hs.Term == 0 && hs.Vote == 0 && hs.Commit == 0;

    public static bool IsEmptySnapshot(Snapshot? s) => s is null || s.Metadata is null || s.Metadata.Index == 0;
}
