using System.Collections.Concurrent;
using TinyKv.Actors.Invocation;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Calls waiting for a response, by message id. A periodic sweep on the injected TimeProvider
/// fails the ones past their deadline with <see cref="TimeoutException"/>; a silo declared dead
/// fails the ones sent to it with <see cref="SiloUnavailableException"/>.
/// </summary>
/// <remarks>
/// Ids come from one counter (threads take them in small blocks: <see cref="BlockCounter"/>), so
/// the calls in flight at once sit in distinct slots of a ring indexed by id: registering and taking
/// a call is one compare-and-swap, with no lock and nothing allocated (a concurrent dictionary cost a
/// lock and a node per call, a measurable share of a remote call's CPU). A call whose slot is still
/// held by an older one still waiting (more than <see cref="SlotCount"/> calls apart) goes to an
/// overflow dictionary. Whoever swaps a call out of its slot or the overflow owns it, so a
/// response, a timeout and a silo failure complete it at most once between them.
/// </remarks>
internal sealed class CallbackRegistry
{
    /// <summary>Slots in the ring: a power of two, far above the calls one node has in flight.</summary>
    private const int SlotCount = 4096;

    private readonly IResponseCompletion?[] _slots = new IResponseCompletion?[SlotCount];
    private readonly ConcurrentDictionary<ulong, IResponseCompletion> _overflow = new();

    /// <summary>Calls in <see cref="_overflow"/>, so that the common path never touches it.</summary>
    private int _overflowCount;

    /// <summary>Calls waiting; counted by a scan (tests and diagnostics only).</summary>
    public int Count => _slots.Count(s => s is not null) + _overflow.Count;

    /// <summary>Registers <paramref name="callback"/> under its <see cref="IResponseCompletion.Id"/> (set by Arm).</summary>
    public void Register(IResponseCompletion callback)
    {
        if (Interlocked.CompareExchange(ref Slot(callback.Id), callback, null) is null)
        {
            return;
        }

        Interlocked.Increment(ref _overflowCount);
        _overflow[callback.Id] = callback;
    }

    /// <summary>Removes the call <paramref name="id"/>; false when it is not waiting (answered, timed out or failed).</summary>
    public bool TryTake(ulong id, out IResponseCompletion callback)
    {
        ref var slot = ref Slot(id);
        var held = Volatile.Read(ref slot);
        if (held is not null && held.Id == id && Interlocked.CompareExchange(ref slot, null, held) == held)
        {
            callback = held;
            return true;
        }

        if (Volatile.Read(ref _overflowCount) > 0 && _overflow.TryRemove(id, out callback!))
        {
            Interlocked.Decrement(ref _overflowCount);
            return true;
        }

        callback = null!;
        return false;
    }

    public void Retarget(ulong id, SiloAddress silo)
    {
        var held = Volatile.Read(ref Slot(id));
        if (held is not null && held.Id == id)
        {
            held.TargetSilo = silo;
        }
        else if (Volatile.Read(ref _overflowCount) > 0 && _overflow.TryGetValue(id, out var callback))
        {
            callback.TargetSilo = silo;
        }
    }

    public void ExpireBefore(DateTimeOffset now) => FailWhere(
        c => c.Deadline <= now,
        c => new TimeoutException($"Response did not arrive on time: {c.Method} on {c.Target} (target silo {c.TargetSilo?.ToString() ?? "unknown"}), deadline {c.Deadline:O}."));

    public void FailSilo(SiloAddress silo) => FailWhere(
        c => c.TargetSilo == silo,
        c => new SiloUnavailableException($"Silo {silo} is dead: {c.Method} on {c.Target} got no response."));

    public void FailAll(Exception exception) => FailWhere(_ => true, _ => exception);

    private ref IResponseCompletion? Slot(ulong id) => ref _slots[(int)(id & (SlotCount - 1))];

    private void FailWhere(Func<IResponseCompletion, bool> match, Func<IResponseCompletion, Exception> error)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            var held = Volatile.Read(ref _slots[i]);
            if (held is not null && match(held) && Interlocked.CompareExchange(ref _slots[i], null, held) == held)
            {
                held.SetException(error(held));
            }
        }

        foreach (var (id, callback) in _overflow)
        {
            if (match(callback) && _overflow.TryRemove(id, out _))
            {
                Interlocked.Decrement(ref _overflowCount);
                callback.SetException(error(callback));
            }
        }
    }
}
