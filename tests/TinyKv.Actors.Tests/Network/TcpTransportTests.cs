using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests.Network;

public sealed class TcpTransportTests
{
    [Fact]
    public async Task AClientCallsGrainsOnTwoSilosOverTcp()
    {
        await using var cluster = new TcpSilos();
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var client = await cluster.ConnectClientAsync();

        for (int key = 0; key < 20; key++)
        {
            var grain = client.GetGrain<ICounterGrain>(key);
            Assert.Equal(1, await grain.IncrementAsync());
            Assert.Equal(2, await grain.IncrementAsync());
        }

        Assert.Equal(20, cluster.Silos.Sum(s => s.ActivationCount));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetGrain<ICounterGrain>(1).ThrowAsync("boom"));
        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task ManyConcurrentCallsShareOneConnectionAndAllComplete()
    {
        await using var cluster = new TcpSilos();
        await cluster.StartSiloAsync();
        var client = await cluster.ConnectClientAsync();
        var grains = Enumerable.Range(0, 64).Select(i => client.GetGrain<ICounterGrain>(i)).ToArray();

        var calls = Enumerable.Range(0, 2000).Select(i => grains[i % grains.Length].IncrementAsync());
        var results = await Task.WhenAll(calls);

        Assert.Equal(2000, results.Length);
        for (int i = 0; i < grains.Length; i++)
        {
            Assert.Equal(2000 / 64 + (i < 2000 % 64 ? 1 : 0), await grains[i].GetAsync());
        }
    }

    [Fact]
    public async Task AClientDialsTheSiloAGatewayRelayedFor()
    {
        await using var cluster = new TcpSilos();
        await cluster.StartSiloAsync();
        var transport = new TcpMessageTransport(new TcpTransportOptions { ClusterId = cluster.ClusterId }, acceptConnections: false);
        await using var client = await ClusterClient.ConnectAsync(cluster.Table, transport, TimeProvider.System);
        var second = await cluster.StartSiloAsync();
        ICounterGrain? onSecond = null;
        for (int key = 0; onSecond is null; key++)
        {
            Assert.True(key < 200, "no grain was placed on the second silo");
            int before = second.ActivationCount;
            await second.GrainFactory.GetGrain<ICounterGrain>(key).IncrementAsync();
            onSecond = second.ActivationCount > before ? client.GetGrain<ICounterGrain>(key) : null;
        }

        // The client's view still holds only the first silo: that gateway passes the call on, and
        // the second silo, which has no connection from the client, answers through it (a relay).
        Assert.Equal(2, await onSecond.IncrementAsync());
        Assert.NotNull(transport.RelayFor(second.SiloAddress));
        Assert.False(transport.IsConnected(second.SiloAddress));

        // Once the client sees the second silo it sends there: over a connection it dials, not
        // through the gateway that relayed (two more hops per call for that gateway, both ways).
        await client.RefreshMembershipAsync();
        Assert.Equal(3, await onSecond.IncrementAsync());
        Assert.True(transport.IsConnected(second.SiloAddress));
    }
}
