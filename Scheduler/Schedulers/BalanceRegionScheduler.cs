using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// Moves regions from the store with the most region size to the one with the least
/// (TinyKV project 3C's balance-region, rule for rule).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Suitable stores are Up and heard from within MaxStoreDownTime, sorted by region size, largest first.</item>
/// <item>For each source in that order, pick a random region with a pending peer there, else a random
/// follower region, else a random leader region; a store with none is skipped.</item>
/// <item>Skip the region if it has fewer peers than MaxReplicas (the replica checker's job first).</item>
/// <item>The target is the suitable store with the smallest region size that holds no peer of the region.</item>
/// <item>Move only if source size − target size &gt; 2 × the region's approximate size, so the target
/// stays smaller than the source after the move and the pair cannot swap back and forth.</item>
/// <item>Return a move-peer operator (add on target, transfer leadership if the source leads, remove from source).</item>
/// </list>
/// </remarks>
public sealed class BalanceRegionScheduler : IScheduler
{
    public string Name => "balance-region";

    public OperatorKind Kind => OperatorKind.Region;

    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    public Operator? Schedule(ScheduleContext context)
    {
        var cluster = context.Cluster;
        var stores = context.Stores.Where(context.IsSuitable)
            .OrderByDescending(s => s.RegionSize).ThenBy(s => s.Id).ToList();
        if (stores.Count < 2)
        {
            return null;
        }

        for (int i = 0; i < stores.Count; i++)
        {
            var source = stores[i];
            var region = cluster.Regions.RandomPendingRegion(source.Id, cluster.Random)
                ?? cluster.Regions.RandomFollowerRegion(source.Id, cluster.Random)
                ?? cluster.Regions.RandomLeaderRegion(source.Id, cluster.Random);
            if (region is null || region.Peers.Length < context.Options.MaxReplicas)
            {
                continue;
            }

            StoreInfo? target = null;
            for (int j = stores.Count - 1; j > i; j--)
            {
                if (!region.HasPeerOnStore(stores[j].Id))
                {
                    target = stores[j];
                    break;
                }
            }

            if (target is null || source.RegionSize - target.RegionSize <= 2 * region.ApproximateSize)
            {
                continue;
            }

            var peer = cluster.AllocPeer(target.Id);
            return OperatorFactory.MovePeer(Name, region, OperatorKind.Balance, source.Id, target.Id, peer.Id, context.Options, context.Now);
        }

        return null;
    }
}
