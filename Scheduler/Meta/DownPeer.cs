namespace TinyKv.Scheduler.Meta;

/// <summary>A peer the leader has not heard from for <see cref="DownSeconds"/> (pdpb.PeerStats).</summary>
public readonly record struct DownPeer(Peer Peer, ulong DownSeconds);
