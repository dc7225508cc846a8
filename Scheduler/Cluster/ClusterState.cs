using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Regions;

namespace TinyKv.Scheduler.Cluster;

/// <summary>
/// The scheduler's picture of the cluster: stores and regions (PD's BasicCluster plus the
/// heartbeat rules of TinyKV's RaftCluster). Schedulers and checkers read it; heartbeats write it.
/// Not thread-safe: <see cref="RaftCluster"/> serialises every call.
/// </summary>
public sealed partial class ClusterState
{
    private readonly Dictionary<ulong, StoreInfo> _stores = [];
    private readonly List<ulong> _changedStores = [];
    private readonly IdAllocator _ids;
    private StoreInfo[]? _storesById;
    private SchedulerOptions _options;

    public ClusterState(SchedulerOptions options, IdAllocator ids, Random random)
    {
        _options = options.Validate();
        _ids = ids;
        Random = random;
    }

    /// <summary>Options in force; may be replaced at run time (online config), validated on the way in.</summary>
    public SchedulerOptions Options
    {
        get => _options;
        set => _options = value.Validate();
    }

    public RegionsInfo Regions { get; } = new();

    /// <summary>The seeded source of every random choice schedulers make.</summary>
    public Random Random { get; }

    public StoreInfo? GetStore(ulong storeId)
    {
        RefreshChangedStores();
        return _stores.GetValueOrDefault(storeId);
    }

    /// <summary>Every store, ordered by id.</summary>
    public IReadOnlyList<StoreInfo> GetStores()
    {
        RefreshChangedStores();
        if (_storesById is null)
        {
            var all = _stores.Values.ToArray();
            Array.Sort(all, (a, b) => a.Id.CompareTo(b.Id));
            _storesById = all;
        }

        return _storesById;
    }

    /// <summary>The known stores holding a peer of <paramref name="region"/>, ordered by id.</summary>
    public IReadOnlyList<StoreInfo> GetRegionStores(RegionInfo region) =>
        GetStores().Where(s => region.HasPeerOnStore(s.Id)).ToList();

    /// <summary>The known stores holding a non-leader peer of <paramref name="region"/>, ordered by id.</summary>
    public IReadOnlyList<StoreInfo> GetFollowerStores(RegionInfo region) =>
        GetStores().Where(s => region.HasPeerOnStore(s.Id) && !region.IsLeaderStore(s.Id)).ToList();

    /// <summary>Adds or replaces a store as given (statistics included).</summary>
    public void PutStore(StoreInfo store)
    {
        _stores[store.Id] = store;
        _storesById = null;
    }

    /// <summary>
    /// Puts a region as given, without the heartbeat checks and without touching store statistics
    /// (TinyKV's mock cluster: fixed states set store statistics directly).
    /// </summary>
    public void PutRegion(RegionInfo region)
    {
        RefreshChangedStores();
        Regions.SetRegion(region);
        Regions.DrainChangedStores(null);
    }

    public RegionInfo? GetRegion(ulong regionId) => Regions.GetRegion(regionId);

    /// <summary>A new peer for <paramref name="storeId"/> with a fresh id.</summary>
    public Peer AllocPeer(ulong storeId, bool isLearner = false) => new(_ids.Alloc(), storeId, isLearner);

    /// <summary>A fresh cluster-unique id.</summary>
    public ulong AllocId() => _ids.Alloc();

    /// <summary>
    /// Applies a store heartbeat: capacity, available space and liveness. An explicitly Down store
    /// that reports again is Up. Region-derived statistics are left to region heartbeats.
    /// </summary>
    public SchedulerError HandleStoreHeartbeat(StoreStats stats, DateTimeOffset now)
    {
        if (!_stores.TryGetValue(stats.StoreId, out var store))
        {
            return SchedulerError.StoreNotFound;
        }

        if (store.IsTombstone)
        {
            return SchedulerError.StoreTombstoned;
        }

        PutStore(store with
        {
            Capacity = stats.Capacity,
            Available = stats.Available,
            LastHeartbeat = now,
            State = store.State == StoreState.Down ? StoreState.Up : store.State,
        });
        return SchedulerError.None;
    }

    /// <summary>Recomputes the statistics of the stores the region index reports changed (heartbeats refresh lazily).</summary>
    private void RefreshChangedStores()
    {
        _changedStores.Clear();
        Regions.DrainChangedStores(_changedStores);
        foreach (ulong storeId in _changedStores)
        {
            UpdateStoreStatus(storeId);
        }
    }

    /// <summary>Recomputes a store's region, leader and pending counts and sizes from the region index.</summary>
    public void UpdateStoreStatus(ulong storeId)
    {
        if (!_stores.TryGetValue(storeId, out var store))
        {
            return;
        }

        int regionCount = Regions.StoreRegionCount(storeId);
        int leaderCount = Regions.StoreLeaderCount(storeId);
        long regionSize = Regions.StoreRegionSize(storeId);
        long leaderSize = Regions.StoreLeaderSize(storeId);
        int pending = Regions.StorePendingPeerCount(storeId);
        if (store.RegionCount == regionCount && store.LeaderCount == leaderCount && store.RegionSize == regionSize
            && store.LeaderSize == leaderSize && store.PendingPeerCount == pending)
        {
            return;
        }

        PutStore(store with
        {
            RegionCount = regionCount,
            LeaderCount = leaderCount,
            RegionSize = regionSize,
            LeaderSize = leaderSize,
            PendingPeerCount = pending,
        });
    }
}
