using System.Collections.Concurrent;
using TinyKv.Actors.Invocation;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Calls waiting for a response, by message id. A periodic sweep on the injected TimeProvider
/// fails the ones past their deadline with <see cref="TimeoutException"/>; a silo declared dead
/// fails the ones sent to it with <see cref="SiloUnavailableException"/>.
/// </summary>
internal sealed class CallbackRegistry
{
    private readonly ConcurrentDictionary<ulong, IResponseCompletion> _pending = new();

    public int Count => _pending.Count;

    public void Register(ulong id, IResponseCompletion callback) => _pending[id] = callback;

    public bool TryTake(ulong id, out IResponseCompletion callback) => _pending.TryRemove(id, out callback!);

    public void Retarget(ulong id, SiloAddress silo)
    {
        if (_pending.TryGetValue(id, out var callback))
        {
            callback.TargetSilo = silo;
        }
    }

    public void ExpireBefore(DateTimeOffset now)
    {
        foreach (var (id, callback) in _pending)
        {
            if (callback.Deadline <= now && _pending.TryRemove(id, out _))
            {
                callback.SetException(new TimeoutException(
                    $"Response did not arrive on time: {callback.Method} on {callback.Target} (target silo {callback.TargetSilo?.ToString() ?? "unknown"}), deadline {callback.Deadline:O}."));
            }
        }
    }

    public void FailSilo(SiloAddress silo)
    {
        foreach (var (id, callback) in _pending)
        {
            if (callback.TargetSilo == silo && _pending.TryRemove(id, out _))
            {
                callback.SetException(new SiloUnavailableException($"Silo {silo} is dead: {callback.Method} on {callback.Target} got no response."));
            }
        }
    }

    public void FailAll(Exception exception)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var callback))
            {
                callback.SetException(exception);
            }
        }
    }
}
