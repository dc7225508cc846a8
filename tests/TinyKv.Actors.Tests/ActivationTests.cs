using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task FirstCallActivatesAndStateLivesInTheActivation()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(7);

        Assert.Equal(1, await grain.IncrementAsync());
        Assert.Equal(2, await grain.IncrementAsync());
        Assert.Equal(2, await grain.GetValueTaskAsync());
        Assert.Equal(1, events.Activations);
        Assert.Single(cluster.Hosting(grain.GetGrainId()));
    }

    [Fact]
    public async Task DeactivateOnIdleRunsOnDeactivateAndTheNextCallActivatesAgain()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(1);
        var first = await grain.ActivationIdAsync();

        await grain.LeaveAsync();
        await cluster.QuiesceAsync();
        var second = await grain.ActivationIdAsync();

        Assert.NotEqual(first, second);
        Assert.Equal(2, events.Activations);
        Assert.Equal([DeactivationReasonCode.ApplicationRequested], events.DeactivationReasons);
    }

    [Fact]
    public async Task IdleActivationsAreCollectedAfterTheCollectionAgeButOptedOutOnesStay()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(1);
        var pinned = cluster.GrainFactory.GetGrain<IPinnedGrain>(1);
        await counter.IncrementAsync();
        await pinned.WhereAsync();

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(14));
        Assert.Equal(0, events.Deactivations);

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(3));
        Assert.Equal([DeactivationReasonCode.ActivationIdle], events.DeactivationReasons);
        Assert.Empty(cluster.Hosting(counter.GetGrainId()));
        Assert.Single(cluster.Hosting(pinned.GetGrainId()));
        Assert.Equal(0, await counter.GetAsync());
    }

    [Fact]
    public async Task GrainExceptionsReachTheCallerWithTypeAndMessage()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(3);

        var fromClient = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync("boom 3"));
        Assert.Equal("boom 3", fromClient.Message);

        var fromSilo = cluster.Primary.Silo.GrainFactory.GetGrain<ICounterGrain>(3);
        var local = await Assert.ThrowsAsync<InvalidOperationException>(() => fromSilo.ThrowAsync("boom again"));
        Assert.Equal("boom again", local.Message);
        Assert.Equal(1, await grain.IncrementAsync());
    }

    [Fact]
    public async Task OneWayCallsReturnAtOnceAndStillRun()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(5);

        await grain.AddOneWayAsync(41);
        Assert.Equal(42, await grain.IncrementAsync());
    }

    [Fact]
    public async Task ResponseTimeoutSurfacesAsTimeoutExceptionOnFakeTime()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ITurnGrain>(1);

        var call = grain.WaitForGateAsync();
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);

        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(2));
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("WaitForGateAsync", timeout.Message, StringComparison.Ordinal);
        events.Gate.SetResult();
    }

    [Fact]
    public async Task GrainTimersTickOnFakeTimeAsTurns()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ITimerGrain>(1);
        Assert.Equal(0, await grain.TicksAsync());

        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(35));
        Assert.Equal(3, await grain.TicksAsync());

        await grain.StopAsync();
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, await grain.TicksAsync());
    }

    [Fact]
    public async Task PersistentStateSurvivesDeactivationAndStaleEtagsAreRefused()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var id = Guid.Parse("6c1f0c55-44a1-4c55-9a69-3b4b8a1f2d10");
        var grain = cluster.GrainFactory.GetGrain<IStatefulGrain>(id);

        Assert.Equal(5, await grain.AddAsync(5));
        await grain.LeaveAsync();
        await cluster.QuiesceAsync();
        Assert.Equal(12, await grain.AddAsync(7));
        Assert.Equal("2", await grain.EtagAsync());

        var stale = new PersistentStateProbe { State = new Google.Protobuf.WellKnownTypes.Int64Value { Value = 1 }, ETag = "1" };
        var grainId = grain.GetGrainId();
        await Assert.ThrowsAsync<InconsistentStateException>(() => cluster.Storage.WriteStateAsync("total", grainId, stale));
        var read = new PersistentStateProbe();
        await cluster.Storage.ReadStateAsync("total", grainId, read);
        Assert.Equal(12, read.State.Value);
    }

    [Fact]
    public async Task RequestContextFlowsToGrainsAcrossNodesAndCalls()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        RequestContext.Set("tenant", "acme");
        try
        {
            var grain = cluster.GrainFactory.GetGrain<IContextGrain>("a");
            Assert.Equal("acme", await grain.ReadContextAsync("tenant"));
            Assert.Equal("acme", await grain.ReadContextThroughAsync("b", "tenant"));
            Assert.Equal("(none)", await grain.ReadContextAsync("missing"));
        }
        finally
        {
            RequestContext.Clear();
        }

        Assert.Throws<ArgumentException>(() => RequestContext.Set("bad", new object()));
    }

    private sealed class PersistentStateProbe : IGrainState<Google.Protobuf.WellKnownTypes.Int64Value>
    {
        public Google.Protobuf.WellKnownTypes.Int64Value State { get; set; } = new();

        public string? ETag { get; set; }

        public bool RecordExists { get; set; }
    }
}
