namespace TinyKv.Raft.Quorum;

/// <summary>The outcome of an election so far.</summary>
public enum VoteResult
{
    /// <summary>Neither a quorum of grants nor of rejections yet.</summary>
    Pending = 0,

    /// <summary>A quorum can no longer grant.</summary>
    Lost = 1,

    /// <summary>A quorum granted.</summary>
    Won = 2,
}
