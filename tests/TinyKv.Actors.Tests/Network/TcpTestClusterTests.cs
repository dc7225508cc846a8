using Microsoft.Extensions.DependencyInjection;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests.Network;

/// <summary>TestingHost scenarios re-run with <see cref="TestClusterOptions.UseTcpTransport"/>: silos and client on real loopback TCP.</summary>
public sealed class TcpTestClusterTests
{
    [Fact]
    public async Task FirstCallActivatesOnceAndStateLivesInTheActivation()
    {
        var events = new GrainEvents();
        await using var cluster = await StartAsync(2, events);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(7);

        Assert.Equal(1, await grain.IncrementAsync());
        Assert.Equal(2, await grain.IncrementAsync());
        Assert.Equal(1, events.Activations);
        Assert.Single(cluster.Hosting(grain.GetGrainId()));
    }

    /// <remarks>
    /// The grain is activated first: concurrent first calls through a gateway may be placed on two
    /// silos before the directory settles the race, and the loser forwards its calls later (ordering
    /// holds per activation, as in Orleans, not across that race).
    /// </remarks>
    [Fact]
    public async Task OneTurnAtATimeAndCallsFromOneCallerKeepTheirOrder()
    {
        await using var cluster = await StartAsync(2, new GrainEvents());
        var grain = cluster.GrainFactory.GetGrain<ITurnGrain>(1);
        Assert.Equal("ok:", await grain.ReadAsync());

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => grain.RecordAsync(i)));

        Assert.Equal("ok:" + string.Join(',', Enumerable.Range(0, 50)), await grain.ReadAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task CallChainReentrancyLetsABAChainsCompleteAcrossSilos(int depth)
    {
        await using var cluster = await StartAsync(2, new GrainEvents());
        var a = cluster.GrainFactory.GetGrain<IChainGrain>(1);

        int hops = await a.BounceAsync(2, depth);

        Assert.Equal(depth + (depth / 2) + 1, hops);
    }

    [Fact]
    public async Task ExceptionsAndRequestContextCrossTheWire()
    {
        await using var cluster = await StartAsync(2, new GrainEvents());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.GrainFactory.GetGrain<ICounterGrain>(3).ThrowAsync("over tcp"));
        Assert.Equal("over tcp", error.Message);

        RequestContext.Set("trace", "t-1");
        try
        {
            Assert.Equal("t-1", await cluster.GrainFactory.GetGrain<IContextGrain>("a").ReadContextThroughAsync("b", "trace"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task PersistentStateKeepsItsEtagAcrossReactivation()
    {
        await using var cluster = await StartAsync(2, new GrainEvents());
        var grain = cluster.GrainFactory.GetGrain<IStatefulGrain>(Guid.NewGuid());

        Assert.Equal(5, await grain.AddAsync(5));
        string? etag = await grain.EtagAsync();
        await grain.LeaveAsync();
        await cluster.QuiesceAsync();

        Assert.Equal(etag, await grain.EtagAsync());
        Assert.Equal(8, await grain.AddAsync(3));
    }

    /// <remarks>
    /// The count is read by a call local to the hosting silo, which does not queue behind envelopes
    /// still on the wire: it sees every one-way add only if QuiesceAsync waited for them.
    /// </remarks>
    [Fact]
    public async Task QuiesceWaitsForEnvelopesInFlightOverTcp()
    {
        await using var cluster = await StartAsync(3, new GrainEvents());
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(11);
        await grain.IncrementAsync();
        var host = cluster.Hosting(grain.GetGrainId()).Single();
        long settled = cluster.TcpInFlight.Settled;

        for (int i = 0; i < 200; i++)
        {
            await grain.AddOneWayAsync(1);
        }

        await cluster.QuiesceAsync();

        Assert.Equal(0, cluster.TcpInFlight.InFlight);
        Assert.True(cluster.TcpInFlight.Settled - settled >= 200, $"settled {cluster.TcpInFlight.Settled - settled} envelopes");
        Assert.Equal(201, await host.Silo.GrainFactory.GetGrain<ICounterGrain>(11).GetAsync());
    }

    private static async Task<TestCluster> StartAsync(int silos, GrainEvents events)
    {
        var builder = new TestClusterBuilder(silos).ConfigureSilos(silo => silo.Services.AddSingleton(events));
        builder.Options.UseTcpTransport = true;
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
