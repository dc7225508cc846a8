namespace TinyKv.Actors;

/// <summary>
/// Chooses the silo of a new activation (Orleans' IPlacementDirector). Register one per strategy
/// with ISiloBuilder.AddPlacementDirector. Runs on the silo that routes the first call; the grain
/// directory still decides the winner when two silos place the same grain at once.
/// </summary>
public interface IPlacementDirector
{
    SiloAddress OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context);
}

/// <summary>The grain being placed.</summary>
public readonly record struct PlacementTarget(GrainId GrainId, IReadOnlyDictionary<string, object>? RequestContext);

/// <summary>What a director may look at.</summary>
public interface IPlacementContext
{
    SiloAddress LocalSilo { get; }

    /// <summary>Active silos, sorted; never empty when a director runs.</summary>
    IReadOnlyList<SiloAddress> CompatibleSilos { get; }

    /// <summary>The membership view the decision is made against.</summary>
    MembershipSnapshot Membership { get; }

    /// <summary>A seeded random source owned by the placing silo.</summary>
    int NextRandom(int maxExclusive);
}
