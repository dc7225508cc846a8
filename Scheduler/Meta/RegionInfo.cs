using System.Collections.Immutable;

namespace TinyKv.Scheduler.Meta;

/// <summary>
/// What the scheduler knows about one region, as last reported by its leader (metapb.Region plus
/// the statistics of a region heartbeat). Immutable: a heartbeat brings a new instance.
/// </summary>
/// <remarks>
/// Keys are raw bytes compared lexicographically. An empty <see cref="StartKey"/> is minus infinity,
/// an empty <see cref="EndKey"/> plus infinity; the range is [StartKey, EndKey). The key arrays are
/// never modified once the region is built (callers hand them over).
/// Equality is by value (keys and peer lists by content), the deep equality TinyKV's tests use.
/// </remarks>
public sealed record RegionInfo
{
    public required ulong Id { get; init; }

    public byte[] StartKey { get; init; } = [];

    public byte[] EndKey { get; init; } = [];

    public RegionEpoch Epoch { get; init; }

    public ImmutableArray<Peer> Peers { get; init; } = [];

    /// <summary>The reporting leader; null when the region has none known.</summary>
    public Peer? Leader { get; init; }

    /// <summary>Approximate size in MiB.</summary>
    public long ApproximateSize { get; init; }

    public long ApproximateKeys { get; init; }

    /// <summary>Peers whose log is behind (still being caught up, for example by a snapshot).</summary>
    public ImmutableArray<Peer> PendingPeers { get; init; } = [];

    public ImmutableArray<DownPeer> DownPeers { get; init; } = [];

    /// <summary>The peer on <paramref name="storeId"/>, if any.</summary>
    public Peer? GetStorePeer(ulong storeId)
    {
        foreach (var p in Peers)
        {
            if (p.StoreId == storeId)
            {
                return p;
            }
        }

        return null;
    }

    public bool HasPeerOnStore(ulong storeId) => GetStorePeer(storeId) is not null;

    public bool IsPending(ulong peerId)
    {
        foreach (var p in PendingPeers)
        {
            if (p.Id == peerId)
            {
                return true;
            }
        }

        return false;
    }

    public bool IsLeaderStore(ulong storeId) => Leader is { } l && l.StoreId == storeId;

    /// <summary>Voters (peers that are not learners).</summary>
    public int VoterCount
    {
        get
        {
            int n = 0;
            foreach (var p in Peers)
            {
                n += p.IsLearner ? 0 : 1;
            }

            return n;
        }
    }

    /// <summary>True when <paramref name="key"/> lies in [StartKey, EndKey).</summary>
    public bool Contains(ReadOnlySpan<byte> key) =>
        key.SequenceCompareTo(StartKey) >= 0 && (EndKey.Length == 0 || key.SequenceCompareTo(EndKey) < 0);

    /// <summary>True when both regions cover the same key range.</summary>
    public bool SameRange(RegionInfo other) =>
        StartKey.AsSpan().SequenceEqual(other.StartKey) && EndKey.AsSpan().SequenceEqual(other.EndKey);

    public bool Equals(RegionInfo? other) =>
        other is not null
        && Id == other.Id
        && Epoch == other.Epoch
        && Leader == other.Leader
        && ApproximateSize == other.ApproximateSize
        && ApproximateKeys == other.ApproximateKeys
        && SameRange(other)
        && Peers.AsSpan().SequenceEqual(other.Peers.AsSpan())
        && PendingPeers.AsSpan().SequenceEqual(other.PendingPeers.AsSpan())
        && DownPeers.AsSpan().SequenceEqual(other.DownPeers.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Id, Epoch, Leader, ApproximateSize);

    public override string ToString() =>
        $"region {Id} [{Convert.ToHexString(StartKey)}, {Convert.ToHexString(EndKey)}) epoch {Epoch} " +
        $"peers [{string.Join(", ", Peers)}] leader {(Leader?.ToString() ?? "none")}";
}
