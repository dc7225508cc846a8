namespace TinyKv.Actors;

/// <summary>
/// Overrides the idle collection age of a grain class. <see cref="AlwaysActive"/> opts out of idle
/// collection altogether (region peers do: they own raft state and timers).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    public double Minutes { get; init; }

    public bool AlwaysActive { get; init; }
}
