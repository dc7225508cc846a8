using TinyKv.Actors.Filters;

namespace TinyKv.Actors.Runtime;

/// <summary>Turns: admission, invocation and completion of requests.</summary>
internal sealed partial class ActivationData
{
    private static readonly Action<object?> PumpAction = static s => ((ActivationData)s!).Pump();
    private static readonly Action<Task, object?> CompletedAction = static (_, s) =>
    {
        var m = (Message)s!;
        m.Activation!.OnInvocationCompleted(m, inPump: false);
    };

    /// <summary>Queues a message; false when the activation is gone (the caller routes again).</summary>
    public bool TryEnqueue(Message message)
    {
        bool schedule;
        lock (_gate)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            message.Activation = this;
            _waiting.Add(message);
            schedule = _state == ActivationState.Valid && !_pumping;
            _pumping |= schedule;
        }

        if (schedule)
        {
            SchedulePump();
        }

        return true;
    }

    private void SchedulePump() =>
        _ = Task.Factory.StartNew(PumpAction, this, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler);

    /// <summary>Starts every admissible request; runs on <see cref="Scheduler"/> only.</summary>
    private void Pump()
    {
        while (true)
        {
            Message? next;
            lock (_gate)
            {
                next = _state == ActivationState.Valid ? TakeAdmissible() : null;
                if (next is null)
                {
                    _pumping = false;
                    return;
                }

                _running.Add(next);
            }

            Invoke(next);
        }
    }

    private Message? TakeAdmissible()
    {
        for (int i = 0; i < _waiting.Count; i++)
        {
            var m = _waiting[i];
            if (MayInvoke(m))
            {
                _waiting.RemoveAt(i);
                return m;
            }
        }

        return null;
    }

    /// <summary>
    /// Orleans' admission rule: anything when idle; otherwise a reentrant class, an
    /// [AlwaysInterleave] method, a [ReadOnly] request among read-only ones, or a request of a
    /// call chain already running here (A→B→A: the chain waits on us, so admitting it cannot
    /// break a turn, and refusing it would deadlock).
    /// </summary>
    private bool MayInvoke(Message m)
    {
        if (_running.Count == 0 || ClassInfo.IsReentrant || m.IsAlwaysInterleave)
        {
            return true;
        }

        bool allReadOnly = m.IsReadOnly;
        foreach (var r in _running)
        {
            if (r.CallChainId == m.CallChainId)
            {
                return true;
            }

            allReadOnly &= r.IsReadOnly;
        }

        return allReadOnly;
    }

    private void Invoke(Message m)
    {
        // Not restored afterwards: the pump runs inside a Task, whose ExecutionContext the runtime
        // restores when it ends, and each message sets its own context before its grain code runs.
        CallContext.Value = m;
        Task task;
        try
        {
            if (m.Kind == MessageKind.TimerTick)
            {
                task = m.Timer!.InvokeAsync(_lifetime.Token);
            }
            else
            {
                var filters = Runtime.IncomingFilters;
                if (filters.Count == 0 && _grain is not IIncomingGrainCallFilter)
                {
                    task = m.Method!.Invoker(_grain!, m.Arguments);
                    m.ResultReader = m.Method.ResultGetter;
                }
                else
                {
                    var context = new IncomingGrainCallContext(_grain!, GrainId, m.Method!, m.Arguments, filters);
                    task = context.Invoke();
                    m.ResultReader = _ => context.Result;
                }
            }
        }
        catch (Exception e)
        {
            task = Task.FromException(e);
        }

        m.Invocation = task;
        if (task.IsCompleted)
        {
            OnInvocationCompleted(m, inPump: true);
        }
        else
        {
            if (m.Kind == MessageKind.TimerTick)
            {
                ReleaseTick(m);
            }

            _ = task.ContinueWith(CompletedAction, m, CancellationToken.None, TaskContinuationOptions.None, Scheduler);
        }
    }

    /// <summary>Answers the caller and frees the turn; on <see cref="Scheduler"/>.</summary>
    private void OnInvocationCompleted(Message m, bool inPump)
    {
        var task = m.Invocation!;
        object? result = null;
        Exception? exception = null;
        if (task.IsFaulted)
        {
            exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
        }
        else if (task.IsCanceled)
        {
            exception = new TaskCanceledException($"{m.Method} on {GrainId} was canceled.");
        }
        else if (m.ResultReader is { } reader)
        {
            try
            {
                result = reader(task);
            }
            catch (Exception e)
            {
                exception = e;
            }
        }

        if (m.Kind == MessageKind.TimerTick)
        {
            if (exception is not null)
            {
                Runtime.Log.TimerFailed(GrainId, exception);
            }

            m.Timer!.OnTickCompleted();
            ReleaseTick(m);
        }
        else
        {
            Runtime.SendResponse(m, result, exception);
        }

        bool pump;
        bool deactivate;
        var now = m.Kind != MessageKind.TimerTick || m.Timer!.Options.KeepAlive ? Runtime.Time.GetUtcNow() : (DateTimeOffset?)null;
        lock (_gate)
        {
            _running.Remove(m);
            if (now is { } used)
            {
                _lastUsed = used;
            }

            pump = !inPump && !_pumping && _state == ActivationState.Valid && _waiting.Count > 0;
            _pumping |= pump;
            deactivate = ShouldBeginDeactivation();
        }

        if (deactivate)
        {
            BeginDeactivation();
        }
        else if (pump)
        {
            Pump();
        }
    }
}
