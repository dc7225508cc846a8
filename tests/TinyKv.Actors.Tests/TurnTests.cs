using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task OneTurnAtATimeAndCallsFromOneCallerKeepTheirOrder()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var grain = cluster.GrainFactory.GetGrain<ITurnGrain>(1);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => grain.RecordAsync(i)));

        Assert.Equal("ok:" + string.Join(',', Enumerable.Range(0, 50)), await grain.ReadAsync());
    }

    [Fact]
    public async Task ReentrantGrainInterleavesWaitingRequests()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<IReentrantGrain>(1);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => grain.MeetAsync(3)));

        Assert.All(results, r => Assert.Equal(3, r));
    }

    [Fact]
    public async Task NonReentrantGrainHoldsTheSecondRequestUntilTheFirstCompletes()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<INonReentrantGrain>(1);

        var first = grain.MeetAsync(2);
        var second = grain.MeetAsync(2);
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(31));

        await Assert.ThrowsAsync<TimeoutException>(() => first);
        await Assert.ThrowsAsync<TimeoutException>(() => second);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task CallChainReentrancyLetsABAChainsComplete(int depth)
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var a = cluster.GrainFactory.GetGrain<IChainGrain>(1);

        int hops = await a.BounceAsync(2, depth);

        Assert.Equal(depth + (depth / 2) + 1, hops);
    }

    [Fact]
    public async Task ReadOnlyRequestsInterleaveWithEachOther()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ITurnGrain>(2);

        var results = await Task.WhenAll(grain.ReadOnlyWaitAsync(2), grain.ReadOnlyWaitAsync(2));

        Assert.Equal([2, 2], results);
    }

    [Fact]
    public async Task AlwaysInterleaveRunsBesideABlockedRequest()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ITurnGrain>(3);
        var blocked = grain.WaitForGateAsync();

        Assert.Equal(0, await grain.PeekAsync());
        Assert.False(blocked.IsCompleted);
        events.Gate.SetResult();
        Assert.Equal(1, await blocked);
    }

    [Fact]
    public async Task StatelessWorkersActivateOnTheCallingSiloUpToTheirLimit()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var silo = cluster.Silos[1];
        var worker = silo.Silo.GrainFactory.GetGrain<IWorkerGrain>(1);

        var places = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => worker.WhereAsync()));

        Assert.All(places, p => Assert.Equal(silo.SiloAddress.ToString(), p));
        Assert.InRange(silo.Silo.ActivationCount, 1, 2);
    }
}
