using TinyKv.Actors.Wire;

namespace TinyKv.Actors;

/// <summary>
/// Decides the fate of one envelope on the in-memory network (TinyKV's test-cluster filters):
/// deliver, drop or delay. Filters run in the order added; the first that does not deliver wins.
/// </summary>
public interface INetworkFilter
{
    NetworkVerdict Filter(in NetworkMessage message);
}

/// <summary>An envelope in flight, as a filter sees it.</summary>
public readonly record struct NetworkMessage(SiloAddress From, SiloAddress To, Envelope Envelope)
{
    public EnvelopeKind Kind => Envelope.Kind;
}

/// <summary>What a filter decided.</summary>
public readonly record struct NetworkVerdict(bool Drop, TimeSpan Delay)
{
    public static NetworkVerdict Deliver => default;

    public static NetworkVerdict DropIt => new(true, TimeSpan.Zero);

    public static NetworkVerdict DelayBy(TimeSpan delay) => new(false, delay);

    public bool IsDeliver => !Drop && Delay <= TimeSpan.Zero;
}
