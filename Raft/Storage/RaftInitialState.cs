using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Storage;

/// <summary>What a restarting node reads from its storage: the persisted HardState and the configuration.</summary>
public readonly record struct RaftInitialState(HardState HardState, ConfState ConfState);
