using Google.Protobuf.WellKnownTypes;

namespace TinyKv.Actors.TestSilo;

/// <summary>Tells where it runs and counts; calls other grains to make silo-to-silo traffic.</summary>
public interface IProbeGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();

    Task<int> ProcessIdAsync();

    Task<int> IncrementAsync();

    /// <summary>Calls probe <paramref name="key"/> and returns where it ran.</summary>
    Task<string> CallOtherAsync(long key);

    /// <summary>Echoes a payload (the benchmark's call).</summary>
    Task<BytesValue> EchoAsync(BytesValue payload);

    /// <summary>Methods the JIT of this silo's process compiled so far (the benchmark warms up until it stops).</summary>
    Task<long> JitCompiledMethodsAsync();

    /// <summary>Thread-pool work items this silo's process has run so far (the benchmark's hops per call).</summary>
    Task<long> CompletedWorkItemsAsync();
}

public sealed class ProbeGrain : Grain, IProbeGrain
{
    private int _count;

    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity.ToString());

    public Task<int> ProcessIdAsync() => Task.FromResult(Environment.ProcessId);

    public Task<int> IncrementAsync() => Task.FromResult(++_count);

    public Task<string> CallOtherAsync(long key) => GrainFactory.GetGrain<IProbeGrain>(key).WhereAsync();

    public Task<BytesValue> EchoAsync(BytesValue payload) => Task.FromResult(payload);

    public Task<long> JitCompiledMethodsAsync() => Task.FromResult(System.Runtime.JitInfo.GetCompiledMethodCount());

    public Task<long> CompletedWorkItemsAsync() => Task.FromResult(ThreadPool.CompletedWorkItemCount);
}

/// <summary>A counter kept in ADO.NET grain state: survives its silo.</summary>
public interface IStoredCounterGrain : IGrainWithIntegerKey
{
    Task<long> AddAsync(long amount);

    Task<long> GetAsync();
}

public sealed class StoredCounterGrain([PersistentState("count")] IPersistentState<Int64Value> count) : Grain, IStoredCounterGrain
{
    public async Task<long> AddAsync(long amount)
    {
        count.State.Value += amount;
        await count.WriteStateAsync();
        return count.State.Value;
    }

    public Task<long> GetAsync() => Task.FromResult(count.State.Value);
}
