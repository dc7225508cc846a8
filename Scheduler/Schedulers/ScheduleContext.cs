using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// What a scheduler decides on: the cluster, the stores as they will be once the running
/// operators finish (PD's operator influence: without it a scheduler would pile moves onto the
/// same target before the first one shows in heartbeats), and the time.
/// </summary>
public sealed record ScheduleContext(ClusterState Cluster, IReadOnlyList<StoreInfo> Stores, DateTimeOffset Now)
{
    /// <summary>A context over the stores as they are (no running operators).</summary>
    public static ScheduleContext Of(ClusterState cluster, DateTimeOffset now) => new(cluster, cluster.GetStores(), now);

    public SchedulerOptions Options => Cluster.Options;

    /// <summary>Up and heard from within the max store down time: may give and receive peers.</summary>
    public bool IsSuitable(StoreInfo store) => store.IsUp && store.DownTime(Now) <= Options.MaxStoreDownTime;

    public StoreInfo? Store(ulong storeId)
    {
        foreach (var s in Stores)
        {
            if (s.Id == storeId)
            {
                return s;
            }
        }

        return null;
    }
}
