namespace TinyKv.Scheduler.Meta;

/// <summary>One replica of a region (metapb.Peer). A learner receives the log but does not vote.</summary>
public readonly record struct Peer(ulong Id, ulong StoreId, bool IsLearner = false)
{
    public override string ToString() => IsLearner ? $"learner {Id}@{StoreId}" : $"peer {Id}@{StoreId}";
}
