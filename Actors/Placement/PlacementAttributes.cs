namespace TinyKv.Actors;

/// <summary>Chooses the placement strategy of a grain class.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public abstract class PlacementAttribute(PlacementStrategy strategy) : Attribute
{
    public PlacementStrategy PlacementStrategy { get; } = strategy;
}

public sealed class RandomPlacementAttribute() : PlacementAttribute(RandomPlacement.Instance);

public sealed class HashBasedPlacementAttribute() : PlacementAttribute(HashBasedPlacement.Instance);

public sealed class PreferLocalPlacementAttribute() : PlacementAttribute(PreferLocalPlacement.Instance);

public sealed class StorePlacementAttribute() : PlacementAttribute(StorePlacement.Instance);

public sealed class SingletonPlacementAttribute() : PlacementAttribute(SingletonPlacement.Instance);
