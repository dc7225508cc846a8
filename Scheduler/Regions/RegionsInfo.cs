using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Regions;

/// <summary>
/// Every known region, by id, by key (the <see cref="RegionTree"/>) and by store and role
/// (PD's core.RegionsInfo). Keeps the three views consistent on every change.
/// Not thread-safe: the cluster serialises access.
/// </summary>
public sealed class RegionsInfo
{
    private readonly RegionTree _tree = new();
    private readonly Dictionary<ulong, StoreRegions> _byStore = [];
    private readonly List<RegionInfo> _scratch = [];
    private readonly List<ulong> _changedStores = [];

    public int Count => _tree.Count;

    public RegionTree Tree => _tree;

    public RegionInfo? GetRegion(ulong regionId) => _tree.Get(regionId);

    /// <summary>The region containing <paramref name="key"/>, or null.</summary>
    public RegionInfo? FindRegion(ReadOnlySpan<byte> key) => _tree.Find(key);

    /// <summary>
    /// Stores <paramref name="region"/> as the current version of its id, dropping its previous
    /// version and every other region its range overlaps; those others are appended to
    /// <paramref name="overlapped"/> when given. The caller has checked the epochs.
    /// </summary>
    public void SetRegion(RegionInfo region, List<RegionInfo>? overlapped = null)
    {
        if (_tree.Get(region.Id) is { } origin)
        {
            if (_tree.ReplaceSameRange(region))
            {
                if (SamePlacement(origin, region))
                {
                    AdjustSizes(region, region.ApproximateSize - origin.ApproximateSize);
                }
                else
                {
                    RemoveFromStores(origin);
                    AddToStores(region);
                }

                return;
            }

            RemoveFromStores(origin);
            _tree.Remove(origin);
        }

        _scratch.Clear();
        _tree.Put(region, _scratch);
        foreach (var old in _scratch)
        {
            RemoveFromStores(old);
            overlapped?.Add(old);
        }

        AddToStores(region);
    }

    /// <summary>Forgets <paramref name="region"/> (by id) entirely. Returns false if unknown.</summary>
    public bool RemoveRegion(ulong regionId)
    {
        if (_tree.Get(regionId) is not { } origin)
        {
            return false;
        }

        _tree.Remove(origin);
        RemoveFromStores(origin);
        return true;
    }

    /// <summary>Every region in key order.</summary>
    public IEnumerable<RegionInfo> InOrder() => _tree.InOrder();

    /// <summary>
    /// Appends to <paramref name="into"/> (when given) the stores whose counts or sizes changed since
    /// the last drain, each once, and starts a new drain.
    /// </summary>
    public void DrainChangedStores(List<ulong>? into)
    {
        foreach (ulong storeId in _changedStores)
        {
            _byStore[storeId].Changed = false;
            into?.Add(storeId);
        }

        _changedStores.Clear();
    }

    private void MarkChanged(ulong storeId, StoreRegions store)
    {
        if (!store.Changed)
        {
            store.Changed = true;
            _changedStores.Add(storeId);
        }
    }

    public int StoreRegionCount(ulong storeId) => Store(storeId)?.RegionCount ?? 0;

    public int StoreLeaderCount(ulong storeId) => Store(storeId)?.Leaders.Count ?? 0;

    public int StoreFollowerCount(ulong storeId) => Store(storeId)?.Followers.Count ?? 0;

    public int StoreLearnerCount(ulong storeId) => Store(storeId)?.Learners.Count ?? 0;

    public int StorePendingPeerCount(ulong storeId) => Store(storeId)?.Pending.Count ?? 0;

    public long StoreRegionSize(ulong storeId) => Store(storeId)?.RegionSize ?? 0;

    public long StoreLeaderSize(ulong storeId) => Store(storeId)?.LeaderSize ?? 0;

    public RegionInfo? RandomLeaderRegion(ulong storeId, Random random) => Pick(Store(storeId)?.Leaders, random);

    public RegionInfo? RandomFollowerRegion(ulong storeId, Random random) => Pick(Store(storeId)?.Followers, random);

    public RegionInfo? RandomLearnerRegion(ulong storeId, Random random) => Pick(Store(storeId)?.Learners, random);

    public RegionInfo? RandomPendingRegion(ulong storeId, Random random) => Pick(Store(storeId)?.Pending, random);

    /// <summary>The leader regions on <paramref name="storeId"/>, in a deterministic order.</summary>
    public IEnumerable<RegionInfo> LeaderRegions(ulong storeId) => Resolve(Store(storeId)?.Leaders);

    /// <summary>The follower regions on <paramref name="storeId"/>, in a deterministic order.</summary>
    public IEnumerable<RegionInfo> FollowerRegions(ulong storeId) => Resolve(Store(storeId)?.Followers);

    private IEnumerable<RegionInfo> Resolve(RegionSet? set)
    {
        if (set is null)
        {
            yield break;
        }

        foreach (ulong id in set.Ids)
        {
            yield return _tree.Get(id)!;
        }
    }

    private RegionInfo? Pick(RegionSet? set, Random random) =>
        set?.Pick(random) is { } id ? _tree.Get(id) : null;

    private StoreRegions? Store(ulong storeId) => _byStore.GetValueOrDefault(storeId);

    /// <summary>Same peers, leader and pending peers: only the size aggregates can differ (the common heartbeat).</summary>
    private static bool SamePlacement(RegionInfo a, RegionInfo b) =>
        a.Leader == b.Leader
        && a.Peers.AsSpan().SequenceEqual(b.Peers.AsSpan())
        && a.PendingPeers.AsSpan().SequenceEqual(b.PendingPeers.AsSpan());

    private void AdjustSizes(RegionInfo region, long delta)
    {
        if (delta == 0)
        {
            return;
        }

        foreach (var peer in region.Peers)
        {
            var store = _byStore[peer.StoreId];
            MarkChanged(peer.StoreId, store);
            store.RegionSize += delta;
            if (region.Leader is { } leader && leader.Id == peer.Id)
            {
                store.LeaderSize += delta;
            }
        }
    }

    private void AddToStores(RegionInfo region)
    {
        foreach (var peer in region.Peers)
        {
            if (!_byStore.TryGetValue(peer.StoreId, out var store))
            {
                store = new StoreRegions();
                _byStore[peer.StoreId] = store;
            }

            MarkChanged(peer.StoreId, store);
            store.RegionSize += region.ApproximateSize;
            if (region.Leader is { } leader && leader.Id == peer.Id)
            {
                store.Leaders.Add(region.Id);
                store.LeaderSize += region.ApproximateSize;
            }
            else if (peer.IsLearner)
            {
                store.Learners.Add(region.Id);
            }
            else
            {
                store.Followers.Add(region.Id);
            }
        }

        foreach (var pending in region.PendingPeers)
        {
            if (_byStore.TryGetValue(pending.StoreId, out var store))
            {
                MarkChanged(pending.StoreId, store);
                store.Pending.Add(region.Id);
            }
        }
    }

    private void RemoveFromStores(RegionInfo region)
    {
        foreach (var peer in region.Peers)
        {
            if (!_byStore.TryGetValue(peer.StoreId, out var store))
            {
                continue;
            }

            MarkChanged(peer.StoreId, store);
            store.RegionSize -= region.ApproximateSize;
            if (region.Leader is { } leader && leader.Id == peer.Id)
            {
                store.Leaders.Remove(region.Id);
                store.LeaderSize -= region.ApproximateSize;
            }
            else if (peer.IsLearner)
            {
                store.Learners.Remove(region.Id);
            }
            else
            {
                store.Followers.Remove(region.Id);
            }
        }

        foreach (var pending in region.PendingPeers)
        {
            if (_byStore.TryGetValue(pending.StoreId, out var store))
            {
                MarkChanged(pending.StoreId, store);
                store.Pending.Remove(region.Id);
            }
        }
    }
}
