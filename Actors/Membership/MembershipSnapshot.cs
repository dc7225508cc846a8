using System.Collections.Frozen;

namespace TinyKv.Actors;

/// <summary>
/// An immutable view of the membership table as one node last read it. A silo incarnation is
/// usable only while its row says Active; an address that is absent, dead, or superseded by a
/// newer generation on the same endpoint is treated as dead.
/// </summary>
public sealed class MembershipSnapshot
{
    public static readonly MembershipSnapshot Empty = new(-1, []);

    public MembershipSnapshot(int version, IEnumerable<MembershipEntry> entries)
    {
        Version = version;
        Entries = entries.ToFrozenDictionary(e => e.SiloAddress);
        ActiveSilos = Entries.Values.Where(e => e.Status == SiloStatus.Active).Select(e => e.SiloAddress).Order().ToArray();
        _latestGeneration = Entries.Keys
            .GroupBy(s => (s.Host, s.Port))
            .ToFrozenDictionary(g => g.Key, g => g.Max(s => s.Generation));
        _deadRows = Entries.ToFrozenDictionary(e => e.Key, e => e.Value.Status == SiloStatus.Dead || IsSuperseded(e.Key));
    }

    /// <summary>
    /// <see cref="IsDead"/> of each silo in the table, computed once: it is asked of every envelope's
    /// sender and every call's target, and one lookup costs less than the two it is made of.
    /// </summary>
    private readonly FrozenDictionary<SiloAddress, bool> _deadRows;

    /// <summary>The newest generation known per endpoint: older ones are superseded.</summary>
    private readonly FrozenDictionary<(string Host, int Port), int> _latestGeneration;

    /// <summary>The table version this view was read at.</summary>
    public int Version { get; }

    public FrozenDictionary<SiloAddress, MembershipEntry> Entries { get; }

    /// <summary>Active silos in address order.</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos { get; }

    public SiloStatus GetStatus(SiloAddress silo) => Entries.TryGetValue(silo, out var e) ? e.Status : SiloStatus.None;

    /// <summary>True when the silo is declared dead, or a newer generation of its endpoint is known.</summary>
    public bool IsDead(SiloAddress silo) =>
        _deadRows.TryGetValue(silo, out bool dead) ? dead : IsSuperseded(silo);

    private bool IsSuperseded(SiloAddress silo) =>
        _latestGeneration.TryGetValue((silo.Host, silo.Port), out int latest) && latest > silo.Generation;

    public override string ToString() => $"v{Version} [{string.Join(", ", Entries.Values.OrderBy(e => e.SiloAddress).Select(e => $"{e.SiloAddress}={e.Status}"))}]";
}
