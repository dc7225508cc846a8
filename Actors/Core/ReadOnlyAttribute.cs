namespace TinyKv.Actors;

/// <summary>This interface method does not modify grain state: read-only requests interleave with each other.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute
{
}
