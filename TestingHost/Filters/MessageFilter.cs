using TinyKv.Actors.Wire;

namespace TinyKv.TestingHost;

/// <summary>Applies a verdict to the envelopes a predicate picks: by kind, by grain interface, by endpoints.</summary>
public sealed class MessageFilter(Func<NetworkMessage, bool> match, NetworkVerdict verdict) : INetworkFilter
{
    public NetworkVerdict Filter(in NetworkMessage message) => match(message) ? verdict : NetworkVerdict.Deliver;

    /// <summary>Drops every envelope of <paramref name="kind"/> (e.g. probes: EnvelopeKind.Ping).</summary>
    public static MessageFilter DropKind(EnvelopeKind kind) => new(m => m.Kind == kind, NetworkVerdict.DropIt);

    /// <summary>Drops requests to grain interface <typeparamref name="TGrainInterface"/>.</summary>
    public static MessageFilter DropCallsTo<TGrainInterface>()
        where TGrainInterface : IGrain =>
        new(m => m.Envelope.InterfaceType == typeof(TGrainInterface).FullName, NetworkVerdict.DropIt);

    /// <summary>Drops everything from or to <paramref name="silo"/>'s endpoint: a node cut off.</summary>
    public static MessageFilter Isolate(SiloAddress silo) =>
        new(m => m.From.IsSameEndpoint(silo) || m.To.IsSameEndpoint(silo), NetworkVerdict.DropIt);
}
