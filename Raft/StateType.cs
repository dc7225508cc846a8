namespace TinyKv.Raft;

/// <summary>The role of a node (Raft §5.1; PreCandidate from Raft thesis §9.6).</summary>
public enum StateType
{
    Follower = 0,
    Candidate = 1,
    Leader = 2,
    PreCandidate = 3,
}
