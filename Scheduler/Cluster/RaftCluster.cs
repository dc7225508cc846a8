using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;
using TinyKv.Scheduler.Schedulers;

namespace TinyKv.Scheduler.Cluster;

/// <summary>
/// The scheduler of one cluster (TinyKV's RaftCluster): bootstrap, store and region heartbeats,
/// ask-split, operators and scheduling ticks over one <see cref="ClusterState"/>. Thread-safe:
/// every call runs under one lock, held only for in-memory work (no I/O but the id allocator's
/// window saves), so concurrent heartbeats are serialised cheaply.
/// </summary>
public sealed class RaftCluster
{
    private readonly Lock _gate = new();
    private readonly ClusterState _state;
    private readonly OperatorController _operators = new();
    private readonly Coordinator _coordinator;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly List<RegionInfo> _dropped = [];

    public RaftCluster(SchedulerOptions options, IdAllocator ids, TimeProvider clock, int seed, Coordinator? coordinator = null, ILogger? logger = null)
    {
        _state = new ClusterState(options, ids, new Random(seed));
        _coordinator = coordinator ?? Coordinator.WithDefaultSchedulers();
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
    }

    public bool IsBootstrapped { get; private set; }

    /// <summary>
    /// Starts the cluster with its first store and first region (which must cover the whole key
    /// space and have its peers on that store).
    /// </summary>
    public SchedulerError Bootstrap(StoreInfo store, RegionInfo region)
    {
        if (store.Id == 0 || region.Id == 0 || region.StartKey.Length != 0 || region.EndKey.Length != 0
            || region.Peers.IsDefaultOrEmpty || region.Peers.Any(p => p.StoreId != store.Id))
        {
            return SchedulerError.InvalidRequest;
        }

        lock (_gate)
        {
            if (IsBootstrapped)
            {
                return SchedulerError.AlreadyBootstrapped;
            }

            _state.PutStore(store with { LastHeartbeat = _clock.GetUtcNow() });
            _state.PutRegion(region);
            _state.UpdateStoreStatus(store.Id);
            IsBootstrapped = true;
        }

        SchedulerLog.Bootstrapped(_logger, store.Id, region.Id);
        return SchedulerError.None;
    }

    /// <summary>Replaces the options in force (online config); throws <see cref="ArgumentException"/> on an invalid setting and keeps the old ones.</summary>
    public void SetOptions(SchedulerOptions options)
    {
        var validated = options.Validate();
        lock (_gate)
        {
            _state.Options = validated;
        }
    }

    /// <summary>Adds a store or updates its address and labels (statistics are kept).</summary>
    public SchedulerError PutStore(StoreInfo store)
    {
        if (store.Id == 0)
        {
            return SchedulerError.InvalidRequest;
        }

        lock (_gate)
        {
            if (!IsBootstrapped)
            {
                return SchedulerError.NotBootstrapped;
            }

            var existing = _state.GetStore(store.Id);
            if (existing is { IsTombstone: true })
            {
                return SchedulerError.StoreTombstoned;
            }

            if (store.Address.Length != 0 && _state.GetStores().Any(s => s.Id != store.Id && !s.IsTombstone && s.Address == store.Address))
            {
                return SchedulerError.InvalidRequest;
            }

            _state.PutStore(existing is null
                ? store with { LastHeartbeat = _clock.GetUtcNow() }
                : existing with { Address = store.Address, Labels = store.Labels });
            _state.UpdateStoreStatus(store.Id);
            return SchedulerError.None;
        }
    }

    /// <summary>Marks a store with an administrative state (Offline to drain it, Down, Tombstone once empty).</summary>
    public SchedulerError SetStoreState(ulong storeId, StoreState state)
    {
        lock (_gate)
        {
            if (_state.GetStore(storeId) is not { } store)
            {
                return SchedulerError.StoreNotFound;
            }

            if (store.IsTombstone && state != StoreState.Tombstone)
            {
                return SchedulerError.StoreTombstoned;
            }

            _state.PutStore(store with { State = state });
            return SchedulerError.None;
        }
    }

    public SchedulerError HandleStoreHeartbeat(StoreStats stats)
    {
        lock (_gate)
        {
            return IsBootstrapped ? _state.HandleStoreHeartbeat(stats, _clock.GetUtcNow()) : SchedulerError.NotBootstrapped;
        }
    }

    /// <summary>
    /// Applies a region heartbeat (rules in <see cref="ClusterState.ProcessRegionHeartbeat"/>) and
    /// returns the next command of the region's operator, if any. Operators of regions the report
    /// overlapped and dropped are canceled.
    /// </summary>
    public RegionHeartbeatResponse HandleRegionHeartbeat(RegionInfo region)
    {
        SchedulerError error;
        lock (_gate)
        {
            if (!IsBootstrapped)
            {
                return RegionHeartbeatResponse.Rejected(SchedulerError.NotBootstrapped);
            }

            _dropped.Clear();
            error = _state.ProcessRegionHeartbeat(region, _dropped);
            if (error == SchedulerError.None)
            {
                foreach (var old in _dropped)
                {
                    _operators.Cancel(old.Id);
                }

                var command = _operators.GetOperator(region.Id) is null ? null : _operators.Dispatch(region, _clock.GetUtcNow());
                return new RegionHeartbeatResponse(SchedulerError.None, command);
            }
        }

        SchedulerLog.HeartbeatRejected(_logger, region.Id, error);
        return RegionHeartbeatResponse.Rejected(error);
    }

    /// <summary>Allocates the ids a split of <paramref name="region"/> needs.</summary>
    public AskSplitResult AskSplit(RegionInfo region)
    {
        lock (_gate)
        {
            if (!IsBootstrapped)
            {
                return new AskSplitResult(SchedulerError.NotBootstrapped, 0, []);
            }

            if (_state.GetRegion(region.Id) is null)
            {
                return new AskSplitResult(SchedulerError.RegionNotFound, 0, []);
            }

            ulong newRegionId = _state.AllocId();
            var peerIds = ImmutableArray.CreateBuilder<ulong>(region.Peers.Length);
            foreach (var _ in region.Peers)
            {
                peerIds.Add(_state.AllocId());
            }

            return new AskSplitResult(SchedulerError.None, newRegionId, peerIds.MoveToImmutable());
        }
    }

    /// <summary>Runs one scheduling tick at the current time; returns the operators it added.</summary>
    public IReadOnlyList<Operator> Tick()
    {
        IReadOnlyList<Operator> added;
        lock (_gate)
        {
            if (!IsBootstrapped)
            {
                return [];
            }

            added = _coordinator.Tick(_state, _operators, _clock.GetUtcNow());
        }

        foreach (var op in added)
        {
            SchedulerLog.OperatorAdded(_logger, op);
        }

        return added;
    }

    /// <summary>Adds an operator made outside the schedulers (administration). False if the region is busy or the operator stale.</summary>
    public bool AddOperator(Operator op)
    {
        lock (_gate)
        {
            return _state.GetRegion(op.RegionId) is { } region && _operators.TryAdd(op, region);
        }
    }

    public Operator? GetOperator(ulong regionId)
    {
        lock (_gate)
        {
            return _operators.GetOperator(regionId);
        }
    }

    public IReadOnlyList<Operator> OperatorHistory()
    {
        lock (_gate)
        {
            return [.. _operators.History];
        }
    }

    public RegionInfo? GetRegion(ulong regionId)
    {
        lock (_gate)
        {
            return _state.GetRegion(regionId);
        }
    }

    /// <summary>The region containing <paramref name="key"/>, or null.</summary>
    public RegionInfo? GetRegionByKey(ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            return _state.Regions.FindRegion(key);
        }
    }

    public StoreInfo? GetStore(ulong storeId)
    {
        lock (_gate)
        {
            return _state.GetStore(storeId);
        }
    }

    public IReadOnlyList<StoreInfo> GetStores()
    {
        lock (_gate)
        {
            return _state.GetStores();
        }
    }

    /// <summary>Every region in key order (a copy).</summary>
    public IReadOnlyList<RegionInfo> GetRegions()
    {
        lock (_gate)
        {
            return [.. _state.Regions.InOrder()];
        }
    }

    /// <summary>Runs <paramref name="read"/> over the state under the lock (for inspection; must not keep references to mutable parts).</summary>
    public T Read<T>(Func<ClusterState, T> read)
    {
        lock (_gate)
        {
            return read(_state);
        }
    }
}
