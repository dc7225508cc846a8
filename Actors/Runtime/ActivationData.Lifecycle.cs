namespace TinyKv.Actors.Runtime;

/// <summary>Activation and deactivation.</summary>
internal sealed partial class ActivationData
{
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _deactivateOnIdle;
    private bool _deactivationStarted;
    private DeactivationReason _deactivationReason;

    /// <summary>Completes when the activation is gone (deactivated, failed, lost the directory race or abandoned).</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>Registers, constructs, loads state and runs OnActivateAsync, as turns on <see cref="Scheduler"/>.</summary>
    public void Start(GrainAddress? previous) =>
        _ = Task.Factory.StartNew(() => ActivateAsync(previous), CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();

    private async Task ActivateAsync(GrainAddress? previous)
    {
        if (!ClassInfo.IsStatelessWorker)
        {
            var winner = await Runtime.RegisterAsync(Address, previous);
            if (winner != Address)
            {
                Invalidate(out var waiting);
                foreach (var m in waiting)
                {
                    Runtime.Forward(m, winner.Silo);
                }

                return;
            }
        }

        try
        {
            _constructing = this;
            try
            {
                (_grain, _states) = ClassInfo.Create(Runtime.Services, GrainId);
            }
            finally
            {
                _constructing = null;
            }

            foreach (var state in _states)
            {
                await state.ReadStateAsync();
            }

            await _grain.OnActivateAsync(_lifetime.Token);
        }
        catch (Exception e)
        {
            Runtime.Log.ActivationFailed(GrainId, e);
            DisposeTimers();
            if (!ClassInfo.IsStatelessWorker)
            {
                await Runtime.UnregisterAsync(Address);
            }

            Invalidate(out var waiting);
            foreach (var m in waiting)
            {
                Runtime.SendResponse(m, null, e);
            }

            return;
        }

        bool pump;
        bool deactivate;
        lock (_gate)
        {
            if (_state == ActivationState.Activating)
            {
                _state = ActivationState.Valid;
            }

            pump = _state == ActivationState.Valid && !_pumping && _waiting.Count > 0;
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

    public void DeactivateOnIdle()
    {
        lock (_gate)
        {
            _deactivateOnIdle = true;
            _keepAliveUntil = DateTimeOffset.MinValue;
        }
    }

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        var until = Runtime.Time.GetUtcNow() + timeSpan;
        lock (_gate)
        {
            _deactivateOnIdle = false;
            if (until > _keepAliveUntil)
            {
                _keepAliveUntil = until;
            }
        }
    }

    /// <summary>True when idle long enough to be collected (and not opted out).</summary>
    public bool IsCollectable(DateTimeOffset now, TimeSpan age)
    {
        if (ClassInfo.AlwaysActive)
        {
            return false;
        }

        lock (_gate)
        {
            return _state == ActivationState.Valid && _running.Count == 0 && _waiting.Count == 0 &&
                   now - _lastUsed >= (ClassInfo.CollectionAge ?? age) && now >= _keepAliveUntil;
        }
    }

    /// <summary>Asks the activation to leave once its running requests complete; waiting ones are re-routed afterwards.</summary>
    public Task DeactivateAsync(DeactivationReason reason)
    {
        bool begin;
        lock (_gate)
        {
            if (_state == ActivationState.Valid)
            {
                _state = ActivationState.Deactivating;
                _deactivationReason = reason;
            }
            else if (_state == ActivationState.Activating)
            {
                _deactivateOnIdle = true;
                _deactivationReason = reason;
            }

            begin = ShouldBeginDeactivation();
        }

        if (begin)
        {
            BeginDeactivation();
        }

        return _deactivated.Task;
    }

    /// <summary>Under <see cref="_gate"/>: moves to Deactivating when asked and idle; true exactly once, when OnDeactivateAsync should start.</summary>
    private bool ShouldBeginDeactivation()
    {
        if (_deactivateOnIdle && _state == ActivationState.Valid && _running.Count == 0)
        {
            _state = ActivationState.Deactivating;
            if (_deactivationReason.ReasonCode == DeactivationReasonCode.None)
            {
                _deactivationReason = new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called.");
            }
        }

        if (_state == ActivationState.Deactivating && _running.Count == 0 && !_deactivationStarted)
        {
            _deactivationStarted = true;
            return true;
        }

        return false;
    }

    /// <summary>Starts OnDeactivateAsync as a turn; counted as background work of the node until the activation is gone.</summary>
    private void BeginDeactivation()
    {
        Runtime.Work.Enter();
        _ = Task.Factory.StartNew(FinishDeactivationAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();
    }

    private async Task FinishDeactivationAsync()
    {
        try
        {
            await DeactivateCoreAsync();
        }
        finally
        {
            Runtime.Work.Exit();
        }
    }

    private async Task DeactivateCoreAsync()
    {
        DisposeTimers();
        try
        {
            if (_grain is not null)
            {
                await _grain.OnDeactivateAsync(_deactivationReason, _lifetime.Token);
            }
        }
        catch (Exception e)
        {
            Runtime.Log.DeactivationFailed(GrainId, e);
        }

        if (!ClassInfo.IsStatelessWorker)
        {
            await Runtime.UnregisterAsync(Address);
        }

        Invalidate(out var waiting);
        foreach (var m in waiting)
        {
            Runtime.Reroute(m);
        }
    }

    /// <summary>Drops the activation without running grain code: the silo is being killed.</summary>
    public void Abandon()
    {
        DisposeTimers();
        Invalidate(out _);
    }

    private void Invalidate(out List<Message> waiting)
    {
        lock (_gate)
        {
            _state = ActivationState.Invalid;
            waiting = [.. _waiting.Where(m => m.Kind != MessageKind.TimerTick)];
            foreach (var tick in _waiting.Where(m => m.Kind == MessageKind.TimerTick))
            {
                ReleaseTick(tick);
            }

            _waiting.Clear();
        }

        _lifetime.Cancel();
        Catalog.Remove(this);
        _deactivated.TrySetResult();
    }
}
