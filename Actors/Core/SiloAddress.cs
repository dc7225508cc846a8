using System.Globalization;

namespace TinyKv.Actors;

/// <summary>
/// A silo (or client) incarnation: an endpoint plus a generation. A silo restarted on the same
/// endpoint gets a higher generation, so messages and directory entries of the old incarnation
/// never reach the new one (Orleans' SiloAddress).
/// </summary>
public sealed record SiloAddress(string Host, int Port, int Generation) : IComparable<SiloAddress>
{
    /// <summary>The endpoint without the generation, e.g. "127.0.0.1:11111".</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    public bool IsSameEndpoint(SiloAddress other) => Port == other.Port && string.Equals(Host, other.Host, StringComparison.Ordinal);

    /// <summary>A hash stable across processes; the order of silos on the probe ring.</summary>
    public uint GetStableHashCode() => StableHash.Of(ToString());

    public int CompareTo(SiloAddress? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = string.CompareOrdinal(Host, other.Host);
        if (c != 0)
        {
            return c;
        }

        c = Port.CompareTo(other.Port);
        return c != 0 ? c : Generation.CompareTo(other.Generation);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");
}
