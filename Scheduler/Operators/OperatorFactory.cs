using System.Collections.Immutable;
using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Operators;

/// <summary>Builds the operators schedulers and checkers propose (PD's operator builders).</summary>
public static class OperatorFactory
{
    /// <summary>
    /// Moves the peer on <paramref name="sourceStore"/> to <paramref name="targetStore"/> as
    /// <paramref name="newPeerId"/>: add the new peer first (the region never has fewer replicas
    /// than before), move leadership onto it if the source holds it, then remove the source peer.
    /// </summary>
    public static Operator MovePeer(string description, RegionInfo region, OperatorKind kind, ulong sourceStore, ulong targetStore, ulong newPeerId, SchedulerOptions options, DateTimeOffset now)
    {
        var steps = ImmutableArray.CreateBuilder<OperatorStep>();
        AddPeerSteps(steps, targetStore, newPeerId, options);
        kind |= OperatorKind.Region;
        if (region.IsLeaderStore(sourceStore))
        {
            steps.Add(new TransferLeader(sourceStore, targetStore));
            kind |= OperatorKind.Leader;
        }

        steps.Add(new RemovePeer(sourceStore));
        return new Operator(description, region, kind, steps.ToImmutable(), now, options.RegionOperatorTimeout);
    }

    /// <summary>Adds a peer <paramref name="newPeerId"/> on <paramref name="targetStore"/>.</summary>
    public static Operator AddPeer(string description, RegionInfo region, OperatorKind kind, ulong targetStore, ulong newPeerId, SchedulerOptions options, DateTimeOffset now)
    {
        var steps = ImmutableArray.CreateBuilder<OperatorStep>();
        AddPeerSteps(steps, targetStore, newPeerId, options);
        return new Operator(description, region, kind | OperatorKind.Region, steps.ToImmutable(), now, options.RegionOperatorTimeout);
    }

    /// <summary>
    /// Removes the peer on <paramref name="store"/>; if it is the leader, leadership first moves to
    /// <paramref name="transferLeaderTo"/> (a raft leader cannot remove itself safely).
    /// </summary>
    public static Operator RemovePeer(string description, RegionInfo region, OperatorKind kind, ulong store, ulong? transferLeaderTo, SchedulerOptions options, DateTimeOffset now)
    {
        var steps = ImmutableArray.CreateBuilder<OperatorStep>();
        kind |= OperatorKind.Region;
        if (region.IsLeaderStore(store))
        {
            if (transferLeaderTo is not { } to)
            {
                throw new InvalidOperationException($"removing the leader of region {region.Id} needs a store to transfer leadership to");
            }

            steps.Add(new TransferLeader(store, to));
            kind |= OperatorKind.Leader;
        }

        steps.Add(new RemovePeer(store));
        return new Operator(description, region, kind, steps.ToImmutable(), now, options.RegionOperatorTimeout);
    }

    /// <summary>Moves leadership of <paramref name="region"/> from its leader's store to <paramref name="targetStore"/>.</summary>
    public static Operator TransferLeader(string description, RegionInfo region, OperatorKind kind, ulong targetStore, SchedulerOptions options, DateTimeOffset now)
    {
        ulong from = region.Leader?.StoreId ?? 0;
        return new Operator(description, region, kind | OperatorKind.Leader, [new TransferLeader(from, targetStore)], now, options.LeaderOperatorTimeout);
    }

    private static void AddPeerSteps(ImmutableArray<OperatorStep>.Builder steps, ulong store, ulong peerId, SchedulerOptions options)
    {
        if (options.AddPeerAsLearner)
        {
            steps.Add(new AddLearner(store, peerId));
            steps.Add(new PromoteLearner(store, peerId));
        }
        else
        {
            steps.Add(new AddPeer(store, peerId));
        }
    }
}
