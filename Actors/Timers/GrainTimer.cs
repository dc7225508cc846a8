using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Timers;

/// <summary>
/// A grain timer on the injected TimeProvider. A tick enqueues a work item on the activation; the
/// next tick is armed only when the callback's task completes, so ticks never overlap or pile up.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<object?, CancellationToken, Task> _callback;
    private readonly object? _state;
    private readonly ITimer _timer;
    private readonly object _gate = new();
    private TimeSpan _period;
    private bool _disposed;

    public GrainTimer(ActivationData activation, Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options, TimeProvider time)
    {
        _activation = activation;
        _callback = callback;
        _state = state;
        Options = options;
        _period = options.Period;
        _timer = time.CreateTimer(static s => ((GrainTimer)s!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(options.DueTime, Timeout.InfiniteTimeSpan);
    }

    public GrainTimerCreationOptions Options { get; }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(GrainTimer));
            }

            _period = period;
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Runs the callback; called by the activation inside a turn.</summary>
    public Task InvokeAsync(CancellationToken cancellationToken) => _callback(_state, cancellationToken);

    /// <summary>Called by the activation when the tick's turn completes: arms the next period.</summary>
    public void OnTickCompleted()
    {
        lock (_gate)
        {
            if (!_disposed && _period != Timeout.InfiniteTimeSpan)
            {
                _timer.Change(_period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
        _activation.OnTimerDisposed(this);
    }

    private void OnTick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
        }

        _activation.EnqueueTimerTick(this);
    }
}
