using TinyKv.Actors.Invocation;
using TinyKv.Actors.Runtime;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

/// <summary>The registry's ring and its overflow: every waiting call is found, and completed at most once.</summary>
public sealed class CallbackRegistryTests
{
    /// <summary>The ring's size (CallbackRegistry.SlotCount): ids this far apart share a slot.</summary>
    private const ulong Ring = 4096;

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly SiloAddress SiloA = new("10.0.0.1", 11111, 1);
    private static readonly SiloAddress SiloB = new("10.0.0.2", 11111, 1);

    [Fact]
    public void ACallIsTakenOnce()
    {
        var registry = new CallbackRegistry();
        var call = Armed(7, T0);
        registry.Register(call);

        Assert.Equal(1, registry.Count);
        Assert.True(registry.TryTake(7, out var taken));
        Assert.Same(call, taken);
        Assert.False(registry.TryTake(7, out _));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void CallsThatShareASlotAreAllFound()
    {
        var calls = Enumerable.Range(0, 3).Select(i => Armed(5 + ((ulong)i * Ring), T0)).ToArray();
        var registry = Registered(calls);

        Assert.Equal(3, registry.Count);
        Assert.False(registry.TryTake(6, out _));
        foreach (var call in calls.Reverse())
        {
            Assert.True(registry.TryTake(call.Id, out var taken));
            Assert.Same(call, taken);
        }

        Assert.Equal(0, registry.Count);
        var next = Armed(5 + (3 * Ring), T0);
        registry.Register(next);
        Assert.True(registry.TryTake(next.Id, out _));
    }

    [Fact]
    public async Task ASweepFailsOnlyTheCallsPastTheirDeadlineInTheRingAndTheOverflow()
    {
        var late = Armed(1, T0);
        var lateOverflow = Armed(1 + Ring, T0);
        var onTime = Armed(2, T0.AddSeconds(10));
        var registry = Registered(late, lateOverflow, onTime);

        registry.ExpireBefore(T0.AddSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => late.Task);
        await Assert.ThrowsAsync<TimeoutException>(() => lateOverflow.Task);
        Assert.Equal(1, registry.Count);
        Assert.True(registry.TryTake(onTime.Id, out _));
    }

    [Fact]
    public async Task ADeadSiloFailsTheCallsRetargetedToIt()
    {
        var toA = Armed(1, T0);
        var toAOverflow = Armed(1 + Ring, T0);
        var toB = Armed(2, T0);
        var registry = Registered(toA, toAOverflow, toB);

        registry.Retarget(toA.Id, SiloA);
        registry.Retarget(toAOverflow.Id, SiloA);
        registry.Retarget(toB.Id, SiloB);
        registry.FailSilo(SiloA);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => toA.Task);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => toAOverflow.Task);
        Assert.False(toB.Task.IsCompleted);
        Assert.True(registry.TryTake(toB.Id, out var taken));
        Assert.Equal(SiloB, taken.TargetSilo);
    }

    [Fact]
    public async Task StoppingFailsEveryCallOnce()
    {
        var calls = new[] { Armed(3, T0), Armed(3 + Ring, T0), Armed(4, T0) };
        var registry = Registered(calls);

        var reason = new SiloUnavailableException("stopped");
        registry.FailAll(reason);

        foreach (var call in calls)
        {
            Assert.Same(reason, await Assert.ThrowsAsync<SiloUnavailableException>(() => call.Task));
            Assert.False(registry.TryTake(call.Id, out _));
        }

        Assert.Equal(0, registry.Count);
    }

    private static CallbackRegistry Registered(params ResponseCompletion<int>[] calls)
    {
        var registry = new CallbackRegistry();
        foreach (var call in calls)
        {
            registry.Register(call);
        }

        return registry;
    }

    private static ResponseCompletion<int> Armed(ulong id, DateTimeOffset deadline)
    {
        var call = new ResponseCompletion<int>();
        var method = InterfaceDescriptor.For(typeof(ICounterGrain)).MethodsById.Values.First();
        call.Arm(id, method, GrainId.Create(InterfaceDescriptor.For(typeof(ICounterGrain)).Name, (long)id), deadline);
        return call;
    }
}
