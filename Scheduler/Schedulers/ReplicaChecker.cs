using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// Keeps every region at MaxReplicas healthy peers (PD's replica checker). Checks one region at
/// a time, first rule that applies wins:
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>A peer on a store that is down (marked, tombstoned, or silent past MaxStoreDownTime), reported
/// down by the leader for longer than MaxStoreDownTime, or on an Offline store is moved to the best target
/// (add first, then remove, so the region never drops below its healthy count). With no target and more
/// peers than MaxReplicas, the bad peer is just removed.</item>
/// <item>Fewer voters than MaxReplicas: add a peer on the best target.</item>
/// <item>More peers than MaxReplicas: remove the non-leader peer on the store with the largest region size.</item>
/// </list>
/// The best target is the suitable store (Up, heard from in time) holding no peer of the region with the
/// smallest region size, ties to the lower id.
/// </remarks>
public sealed class ReplicaChecker
{
    public const string Name = "replica-checker";

    public Operator? Check(RegionInfo region, ScheduleContext context)
    {
        var options = context.Options;
        foreach (var peer in region.Peers)
        {
            if (!IsUnhealthy(region, peer, context))
            {
                continue;
            }

            if (BestTarget(region, context) is { } target)
            {
                var newPeer = context.Cluster.AllocPeer(target.Id);
                return OperatorFactory.MovePeer($"{Name}: replace {peer}", region, OperatorKind.Replica, peer.StoreId, target.Id, newPeer.Id, options, context.Now);
            }

            if (region.Peers.Length > options.MaxReplicas && !region.IsLeaderStore(peer.StoreId))
            {
                return OperatorFactory.RemovePeer($"{Name}: remove {peer}", region, OperatorKind.Replica, peer.StoreId, null, options, context.Now);
            }
        }

        if (region.VoterCount < options.MaxReplicas)
        {
            if (BestTarget(region, context) is not { } target)
            {
                return null;
            }

            var newPeer = context.Cluster.AllocPeer(target.Id);
            return OperatorFactory.AddPeer($"{Name}: add replica", region, OperatorKind.Replica, target.Id, newPeer.Id, options, context.Now);
        }

        if (region.Peers.Length > options.MaxReplicas)
        {
            StoreInfo? worst = null;
            foreach (var peer in region.Peers)
            {
                if (region.IsLeaderStore(peer.StoreId) || context.Store(peer.StoreId) is not { } store)
                {
                    continue;
                }

                if (worst is null || store.RegionSize > worst.RegionSize || (store.RegionSize == worst.RegionSize && store.Id > worst.Id))
                {
                    worst = store;
                }
            }

            return worst is null ? null
                : OperatorFactory.RemovePeer($"{Name}: remove extra replica", region, OperatorKind.Replica, worst.Id, null, options, context.Now);
        }

        return null;
    }

    private static bool IsUnhealthy(RegionInfo region, Peer peer, ScheduleContext context)
    {
        // A store the cluster has not registered yet is left alone: nothing is known about it (PD does the same).
        var store = context.Store(peer.StoreId);
        if (store is not null && (store.IsTombstone || store.IsOffline || store.IsDown(context.Now, context.Options.MaxStoreDownTime)))
        {
            return true;
        }

        foreach (var down in region.DownPeers)
        {
            if (down.Peer.Id == peer.Id && TimeSpan.FromSeconds(down.DownSeconds) > context.Options.MaxStoreDownTime)
            {
                return true;
            }
        }

        return false;
    }

    private static StoreInfo? BestTarget(RegionInfo region, ScheduleContext context)
    {
        StoreInfo? best = null;
        foreach (var store in context.Stores)
        {
            if (!context.IsSuitable(store) || region.HasPeerOnStore(store.Id))
            {
                continue;
            }

            if (best is null || store.RegionSize < best.RegionSize || (store.RegionSize == best.RegionSize && store.Id < best.Id))
            {
                best = store;
            }
        }

        return best;
    }
}
