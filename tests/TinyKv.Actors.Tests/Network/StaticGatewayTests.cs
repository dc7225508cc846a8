using System.Net;
using TinyKv.Actors.Networking;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests.Network;

/// <summary>A cluster client given gateway endpoints (static clustering) instead of a membership table.</summary>
public sealed class StaticGatewayTests
{
    [Fact]
    public async Task AClientGivenEndpointsCallsGrainsOnEverySilo()
    {
        await using var cluster = new TcpSilos();
        var a = await cluster.StartSiloAsync();
        var b = await cluster.StartSiloAsync();
        var client = await cluster.ConnectStaticClientAsync(Endpoint(a), Endpoint(b));

        for (int key = 0; key < 20; key++)
        {
            Assert.Equal(1, await client.GetGrain<ICounterGrain>(key).IncrementAsync());
        }

        Assert.Equal(20, cluster.Silos.Sum(s => s.ActivationCount));
        Assert.Equal(new[] { a.SiloAddress, b.SiloAddress }.Order(), client.Membership.Current.ActiveSilos);
    }

    [Fact]
    public async Task AGatewayThatIsDownAtConnectIsSkipped()
    {
        await using var cluster = new TcpSilos();
        var live = await cluster.StartSiloAsync();
        string down = $"127.0.0.1:{FreePorts.Next()}";

        var client = await cluster.ConnectStaticClientAsync(down, Endpoint(live));

        Assert.Equal(1, await client.GetGrain<ICounterGrain>(1).IncrementAsync());
        Assert.Equal([live.SiloAddress], client.Membership.Current.ActiveSilos);
    }

    [Fact]
    public async Task CallsFailOverWhenAGatewayStops()
    {
        await using var cluster = new TcpSilos();
        var first = await cluster.StartSiloAsync();
        var second = await cluster.StartSiloAsync();
        var client = await cluster.ConnectStaticClientAsync(Endpoint(first), Endpoint(second));
        var grains = Enumerable.Range(0, 16).Select(i => client.GetGrain<ICounterGrain>(i)).ToArray();
        await Task.WhenAll(grains.Select(g => g.IncrementAsync()));
        var firstDead = WhenDeadAsync(client, first.SiloAddress);

        await cluster.StopSiloAsync(0);
        await second.Membership!.RefreshAsync();
        await firstDead.WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var grain in grains)
        {
            Assert.Equal(second.SiloAddress.ToString(), await grain.WhereAsync());
        }

        Assert.Equal([second.SiloAddress], client.Membership.Current.ActiveSilos);
    }

    [Fact]
    public async Task ConnectFailsNamingEveryEndpointWhenNoneAnswers()
    {
        string one = $"127.0.0.1:{FreePorts.Next()}";
        string two = $"127.0.0.1:{FreePorts.Next()}";
        var options = new TcpClusterClientOptions { ClusterId = "nobody" }.UseStaticClustering(one, two);

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => TcpClusterClient.ConnectAsync(options));

        Assert.Contains(one, error.Message, StringComparison.Ordinal);
        Assert.Contains(two, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other-cluster", null)]
    [InlineData("tcp-tests", "wrong secret")]
    public async Task ConnectIsRefusedForAWrongClusterIdOrSecret(string clusterId, string? secret)
    {
        await using var cluster = new TcpSilos(secret: "right secret");
        var silo = await cluster.StartSiloAsync();
        var options = new TcpClusterClientOptions { ClusterId = clusterId, SharedSecret = secret }.UseStaticClustering(Endpoint(silo));

        var error = await Assert.ThrowsAsync<HandshakeRefusedException>(() => TcpClusterClient.ConnectAsync(options));

        Assert.Contains(Endpoint(silo), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshingTheGatewayListReusesTheOpenConnection()
    {
        await using var cluster = new TcpSilos();
        var silo = await cluster.StartSiloAsync();
        var client = await cluster.ConnectStaticClientAsync(Endpoint(silo));
        await client.GetGrain<ICounterGrain>(1).IncrementAsync();
        int connections = cluster.Transports[0].ConnectionCount;
        int links = cluster.Transports[0].LinkCount;

        for (int i = 0; i < 10; i++)
        {
            await client.RefreshMembershipAsync();
        }

        Assert.Equal(connections, cluster.Transports[0].ConnectionCount);
        Assert.Equal(links, cluster.Transports[0].LinkCount);
    }

    [Fact]
    public async Task ASiloForgetsTheLinksOfClientsThatLeft()
    {
        await using var cluster = new TcpSilos();
        var silo = await cluster.StartSiloAsync();
        int before = cluster.Transports[0].LinkCount;

        for (int i = 0; i < 10; i++)
        {
            var options = new TcpClusterClientOptions { ClusterId = cluster.ClusterId }.UseStaticClustering(Endpoint(silo));
            await using var client = await TcpClusterClient.ConnectAsync(options);
            await client.GetGrain<ICounterGrain>(i).IncrementAsync();
        }

        await UntilAsync(() => cluster.Transports[0].LinkCount == before, "the silo to drop the links of 10 departed clients");
    }

    /// <remarks>
    /// A client of static gateways dials again as soon as its connection drops; the silo retired its
    /// link to the client when the old connection closed, and its answers must find the new one.
    /// </remarks>
    [Fact]
    public async Task AClientWhoseConnectionDroppedIsAnsweredOnItsNewConnection()
    {
        await using var cluster = new TcpSilos();
        var silo = await cluster.StartSiloAsync();
        var client = await cluster.ConnectStaticClientAsync(Endpoint(silo));
        var grain = client.GetGrain<ICounterGrain>(1);
        Assert.Equal(1, await grain.IncrementAsync());
        int accepted = cluster.Transports[0].ConnectionCount;

        cluster.Transports[0].Disconnect(client.ClientAddress);
        await UntilAsync(() => cluster.Transports[0].ConnectionCount > accepted, "the client to dial its gateway again");

        Assert.Equal(2, await grain.IncrementAsync().WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Theory]
    [InlineData("127.0.0.1:11111", "127.0.0.1", 11111)]
    [InlineData("localhost:80", "localhost", 80)]
    [InlineData("[::1]:5000", "::1", 5000)]
    public void EndpointsParse(string text, string host, int port)
    {
        var endpoint = TcpClusterClientOptions.ParseEndPoint(text);

        var (actualHost, actualPort) = endpoint switch
        {
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => (dns.Host, dns.Port),
            _ => (string.Empty, 0),
        };
        Assert.Equal((host, port), (actualHost, actualPort));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:0")]
    [InlineData("localhost:70000")]
    [InlineData(":80")]
    [InlineData("a:b:80")]
    public void BadEndpointsAreRefusedByName(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => new TcpClusterClientOptions().UseStaticClustering(text));
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    private static string Endpoint(Silo silo) => $"{silo.SiloAddress.Host}:{silo.SiloAddress.Port}";

    private static Task WhenDeadAsync(ClusterClient client, SiloAddress silo)
    {
        var dead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Membership.Changed += (_, current) =>
        {
            if (current.IsDead(silo))
            {
                dead.TrySetResult();
            }
        };
        return dead.Task;
    }

    /// <summary>A bounded wait on another node's asynchronous clean-up, re-checked on a periodic timer.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            try
            {
                await timer.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Still waiting for {what}.");
            }
        }
    }
}
