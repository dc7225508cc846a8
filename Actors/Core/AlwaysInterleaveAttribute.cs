namespace TinyKv.Actors;

/// <summary>This interface method may interleave with any request, on any grain class.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute
{
}
