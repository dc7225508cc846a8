namespace TinyKv.Raft;

/// <summary>Volatile state worth reporting when it changes: who leads and this node's role. Never persisted.</summary>
public sealed record SoftState(ulong Lead, StateType RaftState);
