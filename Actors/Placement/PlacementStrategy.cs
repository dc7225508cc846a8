namespace TinyKv.Actors;

/// <summary>How a new activation picks its silo. Strategies are singletons; directors implement them.</summary>
public abstract class PlacementStrategy
{
    public override string ToString() => GetType().Name;
}

/// <summary>A uniformly random compatible silo (the default).</summary>
public sealed class RandomPlacement : PlacementStrategy
{
    public static readonly RandomPlacement Instance = new();
}

/// <summary>The silo chosen by the grain id's stable hash over the sorted compatible silos.</summary>
public sealed class HashBasedPlacement : PlacementStrategy
{
    public static readonly HashBasedPlacement Instance = new();
}

/// <summary>The calling silo when it is compatible; random otherwise (calls from clients).</summary>
public sealed class PreferLocalPlacement : PlacementStrategy
{
    public static readonly PreferLocalPlacement Instance = new();
}

/// <summary>
/// The silo hosting the store whose id is the grain's integer key (IGrainWithIntegerKey or the
/// integer part of IGrainWithIntegerCompoundKey); silos announce their stores with
/// SiloOptions.HostedStoreIds. No live silo hosting the store fails the call.
/// </summary>
public sealed class StorePlacement : PlacementStrategy
{
    public static readonly StorePlacement Instance = new();
}

/// <summary>
/// A floating singleton: the oldest active silo (lowest generation, then address). When that silo
/// dies the next call activates the grain on the next-oldest, so it fails over.
/// </summary>
public sealed class SingletonPlacement : PlacementStrategy
{
    public static readonly SingletonPlacement Instance = new();
}
