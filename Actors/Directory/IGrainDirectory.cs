using System.Diagnostics.CodeAnalysis;

namespace TinyKv.Actors;

/// <summary>
/// The grain directory: identity → the one activation (Orleans' IGrainDirectory). Register is the
/// linearization point of single activation: the first registration of an identity wins and every
/// later one gets the winner back. An entry on a silo that membership declared dead is replaced by
/// registering with <c>previousAddress</c> set to that entry. Implementations: in memory (shared by
/// the silos of one process) here; a database-backed one next.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>Registers <paramref name="address"/> unless another entry exists (then returns it); replaces the entry only when it equals <paramref name="previousAddress"/>.</summary>
    ValueTask<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previousAddress);

    ValueTask<GrainAddress?> LookupAsync(GrainId grainId);

    /// <summary>
    /// The entry as far as this process already knows it (a cache, or a directory kept in memory),
    /// answered synchronously for the call path; false means "not known here, ask <see cref="LookupAsync"/>".
    /// </summary>
    bool TryLookupCached(GrainId grainId, [NotNullWhen(true)] out GrainAddress? address)
    {
        address = null;
        return false;
    }

    /// <summary>Removes the entry only when it is exactly <paramref name="address"/> (same activation).</summary>
    ValueTask UnregisterAsync(GrainAddress address);

    /// <summary>Removes every entry on the given silos (called when membership declares them dead).</summary>
    ValueTask UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos);
}
