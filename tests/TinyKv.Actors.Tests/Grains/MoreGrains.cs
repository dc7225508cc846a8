using Google.Protobuf.WellKnownTypes;

namespace TinyKv.Actors.Tests.Grains;

public interface ITimerGrain : IGrainWithIntegerKey
{
    Task<int> TicksAsync();

    Task StopAsync();
}

public sealed class TimerGrain : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = RegisterGrainTimer(_ => { _ticks++; return Task.CompletedTask; }, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        return Task.CompletedTask;
    }

    public Task<int> TicksAsync() => Task.FromResult(_ticks);

    public Task StopAsync()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }
}

public interface IPinnedGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();
}

[CollectionAgeLimit(AlwaysActive = true)]
public sealed class PinnedGrain(GrainEvents events) : Grain, IPinnedGrain
{
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        events.Log.Enqueue($"pinned-deactivated:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());
}

public interface IStoreGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();
}

[StorePlacement]
public sealed class StoreGrain : Grain, IStoreGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());
}

public interface ISchedulerGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();
}

[SingletonPlacement]
public sealed class SchedulerGrain : Grain, ISchedulerGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());
}

public interface ILocalGrain : IGrainWithStringKey
{
    Task<string> WhereAsync();
}

[PreferLocalPlacement]
public sealed class LocalGrain : Grain, ILocalGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());
}

public interface IWorkerGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();
}

[StatelessWorker(2)]
public sealed class WorkerGrain : Grain, IWorkerGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());
}

public interface IStatefulGrain : IGrainWithGuidKey
{
    Task<long> AddAsync(long amount);

    Task<string?> EtagAsync();

    Task LeaveAsync();

    Task ClearAsync();
}

public sealed class StatefulGrain([PersistentState("total")] IPersistentState<Int64Value> total) : Grain, IStatefulGrain
{
    public async Task<long> AddAsync(long amount)
    {
        total.State.Value += amount;
        await total.WriteStateAsync();
        return total.State.Value;
    }

    public Task<string?> EtagAsync() => Task.FromResult(total.Etag);

    public Task LeaveAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ClearAsync() => total.ClearStateAsync();
}

public interface IContextGrain : IGrainWithStringKey
{
    Task<string> ReadContextAsync(string key);

    /// <summary>Reads the key through a second grain on a grain-to-grain call.</summary>
    Task<string> ReadContextThroughAsync(string other, string key);

    Task<string> EchoAsync(string text);
}

public sealed class ContextGrain : Grain, IContextGrain
{
    public Task<string> ReadContextAsync(string key) => Task.FromResult(RequestContext.Get(key)?.ToString() ?? "(none)");

    public Task<string> ReadContextThroughAsync(string other, string key) => GrainFactory.GetGrain<IContextGrain>(other).ReadContextAsync(key);

    public Task<string> EchoAsync(string text) => Task.FromResult(text);
}

public interface IKeepAliveGrain : IGrainWithIntegerKey
{
    Task KeepAliveAsync(TimeSpan time);
}

public sealed class KeepAliveGrain(GrainEvents events) : Grain, IKeepAliveGrain, IIncomingGrainCallFilter
{
    public Task KeepAliveAsync(TimeSpan time)
    {
        DelayDeactivation(time);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        events.Log.Enqueue($"keepalive-deactivated:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        events.Log.Enqueue($"grain-filter:{context.InterfaceMethod.Name}");
        await context.Invoke();
    }
}

public interface IHashedGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();
}

[HashBasedPlacement]
public sealed class HashedGrain : Grain, IHashedGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());
}

public interface IFailingGrain : IGrainWithIntegerKey
{
    Task<int> PingAsync();
}

public sealed class FailingGrain(GrainEvents events) : Grain, IFailingGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref events.Activations) == 1)
        {
            throw new InvalidDataException("first activation fails");
        }

        return Task.CompletedTask;
    }

    public Task<int> PingAsync() => Task.FromResult(events.Activations);
}
