namespace TinyKv.Actors;

/// <summary>Any request may interleave with any other on this grain class (turns stay one at a time).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}
