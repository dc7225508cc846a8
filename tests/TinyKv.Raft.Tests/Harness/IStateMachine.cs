using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Tests.Harness;

/// <summary>A peer in the simulated <see cref="Network"/>: a raft node or a black hole.</summary>
internal interface IStateMachine
{
    void Step(Message m);

    List<Message> ReadMessages();
}

/// <summary>A <see cref="RaftCore"/> as a network peer.</summary>
internal sealed class RaftPeer(RaftCore raft) : IStateMachine
{
    public RaftCore Raft { get; } = raft;

    public void Step(Message m) => Raft.Step(m);

    public List<Message> ReadMessages() => Raft.ReadMessages();
}

/// <summary>A peer that swallows every message and never answers (a crashed or partitioned node).</summary>
internal sealed class BlackHole : IStateMachine
{
    public static readonly BlackHole Instance = new();

    public void Step(Message m)
    {
    }

    public List<Message> ReadMessages() => [];
}
