using TinyKv.Actors.Tests.Grains;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Tests;

/// <summary>A client sends a call straight to the silo that hosts the grain once it has seen it answer from there.</summary>
public sealed class ClientRoutingTests
{
    [Fact]
    public async Task OnceAGrainAnsweredTheClientCallsItsSiloDirectly()
    {
        await using var cluster = await Clusters.StartAsync(3, new GrainEvents());
        var requests = new RequestLog(cluster.Client.ClientAddress);
        cluster.AddFilter(requests);
        var grains = Enumerable.Range(0, 30).Select(i => cluster.GrainFactory.GetGrain<ICounterGrain>(i)).ToArray();
        foreach (var grain in grains)
        {
            await grain.IncrementAsync();
        }

        requests.Clear();
        foreach (var grain in grains)
        {
            await grain.IncrementAsync();
        }

        var sent = requests.Snapshot();
        Assert.Equal(grains.Length, sent.Count);
        foreach (var (grain, to) in sent)
        {
            Assert.Equal(cluster.Hosting(grain).Single().SiloAddress, to);
        }
    }

    [Fact]
    public async Task ACallToAGrainWhoseSiloDiedGoesThroughAGatewayAndReactivates()
    {
        await using var cluster = await Clusters.StartAsync(3, new GrainEvents());
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(5);
        await grain.IncrementAsync();
        var victim = cluster.Hosting(grain.GetGrainId()).Single();

        await cluster.KillSiloAsync(victim);
        await cluster.WaitForLivenessToStabilizeAsync();

        Assert.Equal(1, await grain.IncrementAsync());
        Assert.NotEqual(victim.SiloAddress, cluster.Hosting(grain.GetGrainId()).Single().SiloAddress);
    }

    [Fact]
    public async Task AStaleLocationIsCorrectedByTheNextAnswer()
    {
        await using var cluster = await Clusters.StartAsync(3, new GrainEvents());
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(9);
        await grain.IncrementAsync();
        var first = cluster.Hosting(grain.GetGrainId()).Single();
        await grain.LeaveAsync();
        await cluster.QuiesceAsync();

        var requests = new RequestLog(cluster.Client.ClientAddress);
        cluster.AddFilter(requests);
        for (int i = 0; i < 3; i++)
        {
            await grain.GetAsync();
        }

        var second = cluster.Hosting(grain.GetGrainId()).Single();
        var sent = requests.Snapshot();
        Assert.Equal(first.SiloAddress, sent[0].To);
        Assert.All(sent.Skip(1), s => Assert.Equal(second.SiloAddress, s.To));
    }

    [Fact]
    public void TheLocationCacheIsBoundedAndForgets()
    {
        var cache = new Runtime.GrainLocationCache(capacity: 4);
        var silo = new SiloAddress("127.0.0.1", 1, 1);
        var moved = new SiloAddress("127.0.0.1", 2, 1);
        var grains = Enumerable.Range(0, 100).Select(i => GrainId.Create("t", i)).ToArray();
        foreach (var grain in grains.Take(4))
        {
            cache.Set(grain, silo);
        }

        Assert.All(grains.Take(4), g => Assert.True(cache.TryGet(g, out var s) && s == silo));
        cache.Set(grains[0], moved);
        cache.Remove(grains[1]);
        Assert.True(cache.TryGet(grains[0], out var now) && now == moved);
        Assert.False(cache.TryGet(grains[1], out _));

        foreach (var grain in grains)
        {
            cache.Set(grain, silo);
        }

        Assert.InRange(grains.Count(g => cache.TryGet(g, out _)), 0, 4);
    }

    /// <summary>Records the requests the client sends: which grain, to which silo.</summary>
    private sealed class RequestLog(SiloAddress client) : INetworkFilter
    {
        private readonly List<(GrainId Grain, SiloAddress To)> _sent = [];

        public NetworkVerdict Filter(in NetworkMessage message)
        {
            if (message.From == client && message.Kind == EnvelopeKind.Request)
            {
                var grain = Runtime.EnvelopeCodec.ReadRequest(message.Envelope).TargetGrain;
                lock (_sent)
                {
                    _sent.Add((grain, message.To));
                }
            }

            return NetworkVerdict.Deliver;
        }

        public void Clear()
        {
            lock (_sent)
            {
                _sent.Clear();
            }
        }

        public List<(GrainId Grain, SiloAddress To)> Snapshot()
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }
}
