namespace TinyKv.Actors.Tests.Grains;

public interface ITurnGrain : IGrainWithIntegerKey
{
    /// <summary>Appends <paramref name="value"/> across a yield; records an overlap if another turn was inside.</summary>
    Task RecordAsync(int value);

    /// <summary>"overlap" or "ok", then the recorded values: "ok:0,1,2".</summary>
    Task<string> ReadAsync();

    /// <summary>Waits for the test's gate.</summary>
    Task<int> WaitForGateAsync();

    [ReadOnly]
    Task<int> ReadOnlyWaitAsync(int peers);

    [AlwaysInterleave]
    Task<int> PeekAsync();
}

public sealed class TurnGrain(GrainEvents events) : Grain, ITurnGrain
{
    private readonly List<int> _values = [];
    private bool _inside;
    private bool _overlapped;
    private int _readers;
    private readonly TaskCompletionSource _readersMet = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RecordAsync(int value)
    {
        _overlapped |= _inside;
        _inside = true;
        await Task.Yield();
        _values.Add(value);
        _inside = false;
    }

    public Task<string> ReadAsync() => Task.FromResult($"{(_overlapped ? "overlap" : "ok")}:{string.Join(',', _values)}");

    public async Task<int> WaitForGateAsync()
    {
        await events.Gate.Task;
        return 1;
    }

    public async Task<int> ReadOnlyWaitAsync(int peers)
    {
        if (++_readers == peers)
        {
            _readersMet.TrySetResult();
        }

        await _readersMet.Task;
        return _readers;
    }

    public Task<int> PeekAsync() => Task.FromResult(_values.Count);
}

public interface IReentrantGrain : IGrainWithIntegerKey
{
    /// <summary>Completes once <paramref name="peers"/> calls are inside at the same time.</summary>
    Task<int> MeetAsync(int peers);
}

[Reentrant]
public sealed class ReentrantGrain : Grain, IReentrantGrain
{
    private readonly TaskCompletionSource _met = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;

    public async Task<int> MeetAsync(int peers)
    {
        if (++_inside == peers)
        {
            _met.TrySetResult();
        }

        await _met.Task;
        return _inside;
    }
}

public interface INonReentrantGrain : IGrainWithIntegerKey
{
    Task<int> MeetAsync(int peers);
}

public sealed class NonReentrantGrain : Grain, INonReentrantGrain
{
    private readonly TaskCompletionSource _met = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;

    public async Task<int> MeetAsync(int peers)
    {
        if (++_inside == peers)
        {
            _met.TrySetResult();
        }

        await _met.Task;
        return _inside;
    }
}

public interface IChainGrain : IGrainWithIntegerKey
{
    /// <summary>Calls the other grain, which calls back, <paramref name="depth"/> hops in all (A→B→A→...).</summary>
    Task<int> BounceAsync(long other, int depth);
}

public sealed class ChainGrain : Grain, IChainGrain
{
    private int _visits;

    public async Task<int> BounceAsync(long other, int depth)
    {
        _visits++;
        if (depth == 0)
        {
            return _visits;
        }

        return await GrainFactory.GetGrain<IChainGrain>(other).BounceAsync(this.GetPrimaryKeyLong(), depth - 1) + 1;
    }
}
