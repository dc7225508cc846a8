using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// Evens out leader counts by transferring leadership between existing peers (PD's balance-leader,
/// by count).
/// </summary>
/// <remarks>
/// Suitable stores are Up and heard from within MaxStoreDownTime. A transfer from store A to store B
/// is made only if A's leader count exceeds B's by more than one: it then leaves the pair at most
/// one apart and never reverses itself. Transfer out: for stores from most to fewest leaders, try a few
/// random leader regions and send leadership to the follower store (voter, not pending) with the fewest
/// leaders. Transfer in: for stores from fewest to most, try a few random follower regions and take
/// leadership from their leader's store. Once no pair of a region's voters is more than one apart
/// in leader count, it proposes nothing.
/// </remarks>
public sealed class BalanceLeaderScheduler : IScheduler
{
    /// <summary>Random regions tried per store before moving to the next store.</summary>
    public const int Attempts = 10;

    public string Name => "balance-leader";

    public OperatorKind Kind => OperatorKind.Leader;

    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    public Operator? Schedule(ScheduleContext context)
    {
        var stores = context.Stores.Where(context.IsSuitable)
            .OrderByDescending(s => s.LeaderCount).ThenBy(s => s.Id).ToList();
        if (stores.Count < 2 || stores[0].LeaderCount - stores[^1].LeaderCount <= 1)
        {
            return null;
        }

        var byId = stores.ToDictionary(s => s.Id);
        return TransferOut(context, stores, byId) ?? TransferIn(context, stores, byId);
    }

    private Operator? TransferOut(ScheduleContext context, List<StoreInfo> stores, Dictionary<ulong, StoreInfo> byId)
    {
        var cluster = context.Cluster;
        int fewest = stores[^1].LeaderCount;
        foreach (var source in stores)
        {
            if (source.LeaderCount - fewest <= 1)
            {
                break;
            }

            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                var region = cluster.Regions.RandomLeaderRegion(source.Id, cluster.Random);
                if (region is null)
                {
                    break;
                }

                StoreInfo? target = null;
                foreach (var peer in region.Peers)
                {
                    if (peer.StoreId == source.Id || peer.IsLearner || region.IsPending(peer.Id)
                        || !byId.TryGetValue(peer.StoreId, out var candidate))
                    {
                        continue;
                    }

                    if (target is null || candidate.LeaderCount < target.LeaderCount
                        || (candidate.LeaderCount == target.LeaderCount && candidate.Id < target.Id))
                    {
                        target = candidate;
                    }
                }

                if (target is not null && source.LeaderCount - target.LeaderCount > 1)
                {
                    return OperatorFactory.TransferLeader(Name, region, OperatorKind.Balance, target.Id, context.Options, context.Now);
                }
            }
        }

        return null;
    }

    private Operator? TransferIn(ScheduleContext context, List<StoreInfo> stores, Dictionary<ulong, StoreInfo> byId)
    {
        var cluster = context.Cluster;
        int most = stores[0].LeaderCount;
        for (int i = stores.Count - 1; i >= 0; i--)
        {
            var target = stores[i];
            if (most - target.LeaderCount <= 1)
            {
                break;
            }

            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                var region = cluster.Regions.RandomFollowerRegion(target.Id, cluster.Random);
                if (region is null)
                {
                    break;
                }

                if (region.Leader is not { } leader || region.GetStorePeer(target.Id) is not { } peer
                    || region.IsPending(peer.Id) || !byId.TryGetValue(leader.StoreId, out var source))
                {
                    continue;
                }

                if (source.LeaderCount - target.LeaderCount > 1)
                {
                    return OperatorFactory.TransferLeader(Name, region, OperatorKind.Balance, target.Id, context.Options, context.Now);
                }
            }
        }

        return null;
    }
}
