using System.Collections.Immutable;

namespace TinyKv.Scheduler.Meta;

/// <summary>
/// What the scheduler knows about one store: its identity (from PutStore) and its statistics
/// (from store heartbeats, and region aggregates maintained by the cluster state).
/// Immutable: every change produces a new instance with <c>with</c>.
/// </summary>
/// <remarks>
/// Sizes (<see cref="RegionSize"/>, <see cref="LeaderSize"/>) are in MiB, the unit of
/// <see cref="RegionInfo.ApproximateSize"/> (TinyKV's convention). Capacity and available are in bytes.
/// </remarks>
public sealed record StoreInfo
{
    public required ulong Id { get; init; }

    public string Address { get; init; } = "";

    public ImmutableSortedDictionary<string, string> Labels { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    public StoreState State { get; init; } = StoreState.Up;

    /// <summary>When the last store heartbeat arrived; <see cref="DateTimeOffset.MinValue"/> if never.</summary>
    public DateTimeOffset LastHeartbeat { get; init; } = DateTimeOffset.MinValue;

    public ulong Capacity { get; init; }

    public ulong Available { get; init; }

    /// <summary>Peers (voters and learners) of any region on this store.</summary>
    public int RegionCount { get; init; }

    /// <summary>Sum of the approximate sizes of the regions with a peer on this store, in MiB.</summary>
    public long RegionSize { get; init; }

    public int LeaderCount { get; init; }

    public long LeaderSize { get; init; }

    public int PendingPeerCount { get; init; }

    /// <summary>Up: serving and accepting new peers (an Offline store still serves but accepts none).</summary>
    public bool IsUp => State == StoreState.Up;

    public bool IsOffline => State == StoreState.Offline;

    public bool IsTombstone => State == StoreState.Tombstone;

    /// <summary>How long ago the last heartbeat arrived, as seen at <paramref name="now"/>.</summary>
    public TimeSpan DownTime(DateTimeOffset now) =>
        LastHeartbeat == DateTimeOffset.MinValue ? TimeSpan.MaxValue : now - LastHeartbeat;

    /// <summary>Down: marked so, or silent for longer than <paramref name="maxDownTime"/>.</summary>
    public bool IsDown(DateTimeOffset now, TimeSpan maxDownTime) =>
        State == StoreState.Down || DownTime(now) > maxDownTime;
}
