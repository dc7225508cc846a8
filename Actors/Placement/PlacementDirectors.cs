using System.Globalization;

namespace TinyKv.Actors.Placement;

internal sealed class RandomPlacementDirector : IPlacementDirector
{
    public SiloAddress OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        context.CompatibleSilos[context.NextRandom(context.CompatibleSilos.Count)];
}

internal sealed class HashBasedPlacementDirector : IPlacementDirector
{
    public SiloAddress OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        context.CompatibleSilos[(int)(target.GrainId.GetStableHashCode() % (uint)context.CompatibleSilos.Count)];
}

internal sealed class PreferLocalPlacementDirector : IPlacementDirector
{
    public SiloAddress OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        context.CompatibleSilos.Contains(context.LocalSilo)
            ? context.LocalSilo
            : context.CompatibleSilos[context.NextRandom(context.CompatibleSilos.Count)];
}

internal sealed class SingletonPlacementDirector : IPlacementDirector
{
    public SiloAddress OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        context.CompatibleSilos
            .Select(s => (Silo: s, Entry: context.Membership.Entries[s]))
            .OrderBy(x => x.Entry.StartTime)
            .ThenBy(x => x.Silo)
            .First().Silo;
}

internal sealed class StorePlacementDirector : IPlacementDirector
{
    public SiloAddress OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var id = target.GrainId;
        if (id.KeyKind is not (GrainKeyKind.Integer or GrainKeyKind.IntegerCompound))
        {
            throw new InvalidOperationException($"{id}: [StorePlacement] needs an integer (or integer compound) key naming the store.");
        }

        string store = id.IntegerKey.ToString(CultureInfo.InvariantCulture);
        foreach (var silo in context.CompatibleSilos)
        {
            if (context.Membership.Entries[silo].HostedStoreIds.Contains(id.IntegerKey))
            {
                return silo;
            }
        }

        throw new SiloUnavailableException($"{id}: no active silo hosts store {store}.");
    }
}
