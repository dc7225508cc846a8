using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.ReadOnly;

/// <summary>A ReadIndex request waiting for a quorum of heartbeat acknowledgements.</summary>
internal sealed class ReadIndexStatus(Message request, ulong index)
{
    public Message Request { get; } = request;

    /// <summary>The leader's commit index when the request arrived: the read index.</summary>
    public ulong Index { get; } = index;

    /// <summary>Peers that acknowledged a heartbeat carrying this request's context.</summary>
    public Dictionary<ulong, bool> Acks { get; } = [];
}
