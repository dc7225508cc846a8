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

    public void EnqueueTimerTick(GrainTimer timer) => TryEnqueue(new Message
    {
        Kind = MessageKind.TimerTick,
        Sender = Runtime.LocalAddress,
        TargetGrain = GrainId,
        Timer = timer,
        CallChainId = CallChainId.New(),
        IsAlwaysInterleave = timer.Options.Interleave,
    });

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
