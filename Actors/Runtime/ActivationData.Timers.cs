using TinyKv.Actors.Timers;

namespace TinyKv.Actors.Runtime;

/// <summary>Grain timers: ticks are queued like requests and run as turns.</summary>
internal sealed partial class ActivationData
{
    public IGrainTimer RegisterTimer(Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        var timer = new GrainTimer(this, callback, state, options, Runtime.Time);
        lock (_gate)
        {
            if (_state == ActivationState.Invalid)
            {
                timer.Dispose();
                return timer;
            }

            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>
    /// Queues a tick. The tick counts as background work of the node until its callback returns
    /// (or first awaits), so a test advancing fake time sees synchronous ticks done before the next step.
    /// </summary>
    public void EnqueueTimerTick(GrainTimer timer)
    {
        Runtime.Work.Enter();
        var tick = new Message
        {
            Kind = MessageKind.TimerTick,
            Sender = Runtime.LocalAddress,
            TargetGrain = GrainId,
            Timer = timer,
            CallChainId = CallChainId.New(),
            IsAlwaysInterleave = timer.Options.Interleave,
            TracksWork = true,
        };
        if (!TryEnqueue(tick))
        {
            Runtime.Work.Exit();
        }
    }

    /// <summary>Ends the background-work count of a tick, once.</summary>
    private void ReleaseTick(Message tick)
    {
        if (tick.TracksWork)
        {
            tick.TracksWork = false;
            Runtime.Work.Exit();
        }
    }

    public void OnTimerDisposed(GrainTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private void DisposeTimers()
    {
        List<GrainTimer> timers;
        lock (_gate)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }
}
