namespace TinyKv.TestingHost;

/// <summary>Drops a fraction of the matching envelopes, chosen by a seeded Random (replayable).</summary>
public sealed class DropFilter : INetworkFilter
{
    private readonly Random _random;
    private readonly double _probability;
    private readonly Func<NetworkMessage, bool> _match;

    public DropFilter(double probability, int seed, Func<NetworkMessage, bool>? match = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        _probability = probability;
        _random = new Random(seed);
        _match = match ?? (_ => true);
    }

    public NetworkVerdict Filter(in NetworkMessage message)
    {
        if (!_match(message))
        {
            return NetworkVerdict.Deliver;
        }

        lock (_random)
        {
            return _random.NextDouble() < _probability ? NetworkVerdict.DropIt : NetworkVerdict.Deliver;
        }
    }
}
