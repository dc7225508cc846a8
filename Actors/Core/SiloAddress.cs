using System.Globalization;

namespace TinyKv.Actors;

/// <summary>
/// A silo (or client) incarnation: an endpoint plus a generation. A silo restarted on the same
/// endpoint gets a higher generation, so messages and directory entries of the old incarnation
/// never reach the new one (Orleans' SiloAddress).
/// </summary>
public sealed record SiloAddress(string Host, int Port, int Generation) : IComparable<SiloAddress>
{
    /// <summary>
    /// <see cref="GetHashCode"/>, computed once (0 until then): an address is looked up several
    /// times per remote call (membership, connections, wire forms), and hashing its host each
    /// time was a measurable share of the call. Not part of equality; a copy made by
    /// <c>with</c> starts without it.
    /// </summary>
    private int _hash;

    /// <summary>
    /// This instance's wire form, built once by <c>EnvelopeCodec</c> (every envelope names one or two
    /// addresses, and nearly all are the same few instances); not carried over to a <c>with</c> copy.
    /// </summary>
    internal Wire.SiloAddressProto? WireForm { get; set; }

    private SiloAddress(SiloAddress original)
    {
        Host = original.Host;
        Port = original.Port;
        Generation = original.Generation;
    }

    public bool Equals(SiloAddress? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && Port == other.Port && Generation == other.Generation && string.Equals(Host, other.Host, StringComparison.Ordinal));

    public override int GetHashCode()
    {
        int hash = _hash;
        if (hash == 0)
        {
            hash = HashCode.Combine(Host, Port, Generation) | 1;
            _hash = hash;
        }

        return hash;
    }

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
