using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Operators;

/// <summary>Membership change kinds (eraftpb.ConfChangeType).</summary>
public enum ConfChangeType
{
    AddNode = 0,
    RemoveNode = 1,
    AddLearnerNode = 2,
}

/// <summary>
/// What a region heartbeat response asks the region's leader to do next
/// (schedulerpb.RegionHeartbeatResponse: change_peer or transfer_leader).
/// </summary>
public abstract record RegionCommand;

/// <summary>Propose a membership change of <paramref name="Peer"/>.</summary>
public sealed record ChangePeerCommand(ConfChangeType ChangeType, Peer Peer) : RegionCommand;

/// <summary>Transfer leadership to <paramref name="Peer"/>.</summary>
public sealed record TransferLeaderCommand(Peer Peer) : RegionCommand;
