using Microsoft.Extensions.DependencyInjection;

namespace TinyKv.Actors.Placement;

/// <summary>Runs the director of a strategy: one registered for its type (AddPlacementDirector), else the built-in one.</summary>
internal sealed class PlacementService
{
    private readonly Dictionary<Type, IPlacementDirector> _builtIn = new()
    {
        [typeof(RandomPlacement)] = new RandomPlacementDirector(),
        [typeof(HashBasedPlacement)] = new HashBasedPlacementDirector(),
        [typeof(PreferLocalPlacement)] = new PreferLocalPlacementDirector(),
        [typeof(StorePlacement)] = new StorePlacementDirector(),
        [typeof(SingletonPlacement)] = new SingletonPlacementDirector(),
    };

    private readonly IServiceProvider _services;
    private readonly SiloAddress _local;
    private readonly Random _random;

    public PlacementService(IServiceProvider services, SiloAddress local)
    {
        _services = services;
        _local = local;
        _random = new Random((int)local.GetStableHashCode());
    }

    public SiloAddress Place(PlacementStrategy strategy, GrainId grainId, IReadOnlyDictionary<string, object>? requestContext, MembershipSnapshot snapshot, bool excludeLocal)
    {
        var silos = excludeLocal ? snapshot.ActiveSilos.Where(s => s != _local).ToArray() : snapshot.ActiveSilos;
        if (silos.Count == 0)
        {
            throw new SiloUnavailableException($"No active silo can host {grainId} (membership {snapshot}).");
        }

        var director = _services.GetKeyedService<IPlacementDirector>(strategy.GetType())
            ?? (_builtIn.TryGetValue(strategy.GetType(), out var d) ? d : throw new InvalidOperationException($"No placement director for {strategy}: register one with AddPlacementDirector."));
        return director.OnAddActivation(strategy, new PlacementTarget(grainId, requestContext), new Context(_local, silos, snapshot, this));
    }

    private int NextRandom(int maxExclusive)
    {
        lock (_random)
        {
            return _random.Next(maxExclusive);
        }
    }

    private sealed class Context(SiloAddress local, IReadOnlyList<SiloAddress> silos, MembershipSnapshot snapshot, PlacementService owner) : IPlacementContext
    {
        public SiloAddress LocalSilo => local;

        public IReadOnlyList<SiloAddress> CompatibleSilos => silos;

        public MembershipSnapshot Membership => snapshot;

        public int NextRandom(int maxExclusive) => owner.NextRandom(maxExclusive);
    }
}
