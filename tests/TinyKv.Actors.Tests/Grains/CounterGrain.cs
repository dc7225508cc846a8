namespace TinyKv.Actors.Tests.Grains;

public interface ICounterGrain : IGrainWithIntegerKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();

    Task<string> WhereAsync();

    Task<Guid> ActivationIdAsync();

    Task LeaveAsync();

    Task ThrowAsync(string message);

    [OneWay]
    Task AddOneWayAsync(int amount);

    ValueTask<int> GetValueTaskAsync();
}

public sealed class CounterGrain(GrainEvents events) : Grain, ICounterGrain
{
    private readonly Guid _activationId = Guid.NewGuid();
    private int _count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref events.Activations);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref events.Deactivations);
        events.DeactivationReasons.Enqueue(reason.ReasonCode);
        return Task.CompletedTask;
    }

    public Task<int> IncrementAsync() => Task.FromResult(++_count);

    public Task<int> GetAsync() => Task.FromResult(_count);

    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());

    public Task<Guid> ActivationIdAsync() => Task.FromResult(_activationId);

    public Task LeaveAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ThrowAsync(string message) => throw new InvalidOperationException(message);

    public Task AddOneWayAsync(int amount)
    {
        _count += amount;
        return Task.CompletedTask;
    }

    public ValueTask<int> GetValueTaskAsync() => ValueTask.FromResult(_count);
}
