using TinyKv.Actors.Runtime;

namespace TinyKv.Actors;

/// <summary>
/// Ambient key/value pairs that travel with every grain call made from the current async flow,
/// also across silos (Orleans' RequestContext). Values are limited to string, long, int, bool,
/// double and byte[] so that they have one wire form.
/// </summary>
public static class RequestContext
{
    public static object? Get(string key)
    {
        var values = CallContext.Value?.Values;
        return values is not null && values.TryGetValue(key, out var value) ? value : null;
    }

    public static void Set(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (value is not (string or long or int or bool or double or byte[]))
        {
            throw new ArgumentException($"RequestContext value of type {value.GetType().Name} has no wire form; use string, long, int, bool, double or byte[].", nameof(value));
        }

        var current = CallContext.Value;
        var copy = current?.Values is { } old ? new Dictionary<string, object>(old, StringComparer.Ordinal) : new Dictionary<string, object>(StringComparer.Ordinal);
        copy[key] = value;
        CallContext.Value = new CallContext(current?.CallChainId ?? Guid.Empty, copy, current?.Activation);
    }

    public static bool Remove(string key)
    {
        var current = CallContext.Value;
        if (current?.Values is not { } old || !old.ContainsKey(key))
        {
            return false;
        }

        var copy = new Dictionary<string, object>(old, StringComparer.Ordinal);
        copy.Remove(key);
        CallContext.Value = new CallContext(current.CallChainId, copy, current.Activation);
        return true;
    }

    public static void Clear()
    {
        var current = CallContext.Value;
        if (current?.Values is not null)
        {
            CallContext.Value = new CallContext(current.CallChainId, null, current.Activation);
        }
    }
}
