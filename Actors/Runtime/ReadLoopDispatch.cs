namespace TinyKv.Actors.Runtime;

/// <summary>
/// Marks a thread while a network read loop hands out the envelopes of one read, so that the turns
/// it starts and the callers its responses resume go on the thread pool's global queue, which the
/// workers take in order, instead of the reading thread's local queue. On the local queue they
/// waited while idle workers took the send pump's wake-up from the global queue first, and the pump
/// flushed a few envelopes at a time; in order, the pump runs behind them and one flush carries
/// their requests or responses (at 64 calls in flight between two silos, about 30 envelopes per
/// flush instead of 5 to 20: `Actors/Networking/README.md`, "Read-loop dispatch").
/// Work started anywhere else (a turn calling a grain of its own silo, a local answer) keeps the
/// local queue and its warm thread: in-process calls lost a quarter of their rate on the global queue.
/// </summary>
internal static class ReadLoopDispatch
{
    [ThreadStatic]
    private static bool _active;

    /// <summary>False on a read loop's thread while it hands out envelopes: queue on the global queue.</summary>
    public static bool PreferLocal => !_active;

    /// <summary>Marks this thread until the scope is disposed; the read loop's dispatch is synchronous, so no await crosses it.</summary>
    public static Scope Enter()
    {
        _active = true;
        return default;
    }

    public readonly ref struct Scope
    {
        public void Dispose() => _active = false;
    }
}
