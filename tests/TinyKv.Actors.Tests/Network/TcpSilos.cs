using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests.Network;

/// <summary>
/// Silos of one process on the real TCP transport (loopback, free ports) sharing an in-memory
/// membership table and directory, and clients over TCP: the wire without child processes.
/// </summary>
internal sealed class TcpSilos : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private readonly List<IAsyncDisposable> _clients = [];

    public TcpSilos(string clusterId = "tcp-tests", string? secret = null)
    {
        ClusterId = clusterId;
        Secret = secret;
    }

    public string ClusterId { get; }

    public string? Secret { get; }

    public InMemoryMembershipTable Table { get; } = new();

    public InMemoryGrainDirectory Directory { get; } = new();

    public GrainEvents Events { get; } = new();

    public List<Silo> Silos { get; } = [];

    public List<TcpMessageTransport> Transports { get; } = [];

    public async Task<Silo> StartSiloAsync()
    {
        int port = FreePorts.Next();
        var host = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        host.Services.AddSingleton(Events);
        host.UseTinyKvSilo(silo => silo
            .Configure<SiloOptions>(o =>
            {
                o.SiloPort = port;
                o.ClusterId = ClusterId;
            })
            .UseInMemoryClustering(Table, Directory)
            .UseTcpTransport(o => o.SharedSecret = Secret));
        var app = host.Build();
        await app.StartAsync();
        _hosts.Add(app);
        var silo = app.Services.GetRequiredService<Silo>();
        Silos.Add(silo);
        Transports.Add((TcpMessageTransport)app.Services.GetRequiredService<IMessageTransport>());
        return silo;
    }

    /// <summary>Stops silo <paramref name="index"/> gracefully (its port closes, its row says Dead).</summary>
    public async Task StopSiloAsync(int index)
    {
        await _hosts[index].StopAsync();
    }

    /// <summary>A client given the silos' endpoints (static clustering), not the membership table.</summary>
    public async Task<ClusterClient> ConnectStaticClientAsync(params string[] gateways)
    {
        var options = new TcpClusterClientOptions { ClusterId = ClusterId, SharedSecret = Secret }.UseStaticClustering(gateways);
        var client = await TcpClusterClient.ConnectAsync(options);
        _clients.Add(client);
        return client;
    }

    public async Task<ClusterClient> ConnectClientAsync(TcpTransportOptions? options = null)
    {
        var transport = new TcpMessageTransport(options ?? new TcpTransportOptions { ClusterId = ClusterId, SharedSecret = Secret }, acceptConnections: false);
        var client = await ClusterClient.ConnectAsync(Table, transport, TimeProvider.System);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
