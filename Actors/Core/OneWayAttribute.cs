namespace TinyKv.Actors;

/// <summary>
/// The caller does not wait for this interface method: the call returns as soon as the message is
/// sent, and no result or exception comes back. The method must return Task or ValueTask.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute
{
}
