namespace TinyKv.TestingHost;

/// <summary>Delays the matching envelopes by a fixed time on the cluster's TimeProvider.</summary>
public sealed class DelayFilter(TimeSpan delay, Func<NetworkMessage, bool>? match = null) : INetworkFilter
{
    public NetworkVerdict Filter(in NetworkMessage message) =>
        match is null || match(message) ? NetworkVerdict.DelayBy(delay) : NetworkVerdict.Deliver;
}
