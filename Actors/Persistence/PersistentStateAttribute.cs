namespace TinyKv.Actors;

/// <summary>Marks a grain constructor parameter of type IPersistentState&lt;T&gt;: state <paramref name="stateName"/> in provider <paramref name="storageName"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;

    /// <summary>The provider's name; null means <see cref="GrainStorageNames.Default"/>.</summary>
    public string? StorageName { get; } = storageName;
}
