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
}
