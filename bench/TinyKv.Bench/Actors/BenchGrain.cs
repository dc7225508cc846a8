using TinyKv.Actors;

namespace TinyKv.Bench.Actors;

public interface IBenchGrain : IGrainWithIntegerKey
{
    Task<int> AddAsync(int value);
}

/// <summary>The measured work: a synchronous increment, so the figures are the runtime's cost.</summary>
[PreferLocalPlacement]
public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _total;

    public Task<int> AddAsync(int value) => Task.FromResult(_total += value);
}
