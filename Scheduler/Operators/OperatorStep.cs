using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Operators;

/// <summary>How a step stands against the region as last reported.</summary>
public enum StepProgress
{
    /// <summary>Not yet visible in the region: keep asking the leader.</summary>
    InProgress = 0,

    /// <summary>The region shows the step done.</summary>
    Finished = 1,

    /// <summary>The region makes the step impossible (a different peer took the slot): abandon the operator.</summary>
    Impossible = 2,
}

/// <summary>
/// One step of an <see cref="Operator"/>. A step is judged only from region heartbeats: it is
/// finished when the reported region shows its effect (PD's OpStep.IsFinish).
/// </summary>
public abstract record OperatorStep
{
    public abstract StepProgress Check(RegionInfo region);

    /// <summary>The command that makes the leader perform this step, or null if it cannot be expressed on this region.</summary>
    public abstract RegionCommand? Command(RegionInfo region);

    /// <summary>True for a step that only moves leadership.</summary>
    public virtual bool IsLeaderStep => false;
}

/// <summary>Add a voter with id <paramref name="PeerId"/> on <paramref name="StoreId"/>; done once it is a voter there and not pending.</summary>
public sealed record AddPeer(ulong StoreId, ulong PeerId) : OperatorStep
{
    public override StepProgress Check(RegionInfo region) => region.GetStorePeer(StoreId) switch
    {
        null => StepProgress.InProgress,
        { } p when p.Id != PeerId => StepProgress.Impossible,
        { IsLearner: true } => StepProgress.InProgress,
        { } p => region.IsPending(p.Id) ? StepProgress.InProgress : StepProgress.Finished,
    };

    public override RegionCommand Command(RegionInfo region) =>
        new ChangePeerCommand(ConfChangeType.AddNode, new Peer(PeerId, StoreId));

    public override string ToString() => $"add peer {PeerId} on store {StoreId}";
}

/// <summary>Add a learner with id <paramref name="PeerId"/> on <paramref name="StoreId"/>; done once it is there and not pending.</summary>
public sealed record AddLearner(ulong StoreId, ulong PeerId) : OperatorStep
{
    public override StepProgress Check(RegionInfo region) => region.GetStorePeer(StoreId) switch
    {
        null => StepProgress.InProgress,
        { } p when p.Id != PeerId => StepProgress.Impossible,
        { } p => region.IsPending(p.Id) ? StepProgress.InProgress : StepProgress.Finished,
    };

    public override RegionCommand Command(RegionInfo region) =>
        new ChangePeerCommand(ConfChangeType.AddLearnerNode, new Peer(PeerId, StoreId, IsLearner: true));

    public override string ToString() => $"add learner {PeerId} on store {StoreId}";
}

/// <summary>Promote the learner <paramref name="PeerId"/> on <paramref name="StoreId"/> to voter.</summary>
public sealed record PromoteLearner(ulong StoreId, ulong PeerId) : OperatorStep
{
    public override StepProgress Check(RegionInfo region) => region.GetStorePeer(StoreId) switch
    {
        null => StepProgress.Impossible,
        { } p when p.Id != PeerId => StepProgress.Impossible,
        { IsLearner: true } => StepProgress.InProgress,
        _ => StepProgress.Finished,
    };

    public override RegionCommand Command(RegionInfo region) =>
        new ChangePeerCommand(ConfChangeType.AddNode, new Peer(PeerId, StoreId));

    public override string ToString() => $"promote learner {PeerId} on store {StoreId}";
}

/// <summary>
/// Remove the peer on <paramref name="StoreId"/>; done once the region has none there. Impossible
/// while that peer leads: a leader is never asked to remove itself (leadership moved back after the
/// operator's transfer step, say), so the operator is abandoned and a later one starts over.
/// </summary>
public sealed record RemovePeer(ulong StoreId) : OperatorStep
{
    public override StepProgress Check(RegionInfo region) =>
        !region.HasPeerOnStore(StoreId) ? StepProgress.Finished
        : region.IsLeaderStore(StoreId) ? StepProgress.Impossible
        : StepProgress.InProgress;

    public override RegionCommand? Command(RegionInfo region) =>
        region.GetStorePeer(StoreId) is { } p ? new ChangePeerCommand(ConfChangeType.RemoveNode, p) : null;

    public override string ToString() => $"remove peer on store {StoreId}";
}

/// <summary>Move leadership from <paramref name="FromStore"/> to <paramref name="ToStore"/>; done once the leader is on <paramref name="ToStore"/>.</summary>
public sealed record TransferLeader(ulong FromStore, ulong ToStore) : OperatorStep
{
    public override bool IsLeaderStep => true;

    public override StepProgress Check(RegionInfo region) => region.GetStorePeer(ToStore) switch
    {
        null => StepProgress.Impossible,
        { IsLearner: true } => StepProgress.Impossible,
        _ => region.IsLeaderStore(ToStore) ? StepProgress.Finished : StepProgress.InProgress,
    };

    public override RegionCommand? Command(RegionInfo region) =>
        region.GetStorePeer(ToStore) is { } p ? new TransferLeaderCommand(p) : null;

    public override string ToString() => $"transfer leader from store {FromStore} to store {ToStore}";
}
