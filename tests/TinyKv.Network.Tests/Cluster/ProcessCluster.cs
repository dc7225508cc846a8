using TinyKv.Actors.TestSilo;

namespace TinyKv.Network.Tests.Cluster;

/// <summary>Silo child processes on one database plus a TCP cluster client with fast membership refresh.</summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private ProcessCluster(string clusterId, AdoNetOptions database, List<SiloProcess> silos, ClusterClient client)
    {
        ClusterId = clusterId;
        Database = database;
        Silos = silos;
        Client = client;
    }

    public string ClusterId { get; }

    public AdoNetOptions Database { get; }

    public List<SiloProcess> Silos { get; }

    public ClusterClient Client { get; }

    public static async Task<ProcessCluster> StartAsync(AdoNetOptions database, int silos, string? secret = null)
    {
        string clusterId = $"proc-{Guid.NewGuid():N}";
        var started = new List<SiloProcess>();
        try
        {
            foreach (var silo in await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => SiloProcess.StartAsync(clusterId, database, secret))))
            {
                started.Add(silo);
            }

            var liveness = new ClusterMembershipOptions();
            FastLiveness.Apply(liveness);
            var client = await TcpClusterClient.ConnectAsync(new TcpClusterClientOptions
            {
                ClusterId = clusterId,
                SharedSecret = secret,
                Clustering = database,
                Liveness = liveness,
                Messaging = new SiloMessagingOptions { ResponseTimeout = TimeSpan.FromSeconds(10) },
            });
            var cluster = new ProcessCluster(clusterId, database, started, client);
            await Eventually.UntilAsync<object>(
                async () => (await new AdoNetMembershipTable(database, clusterId).ReadAllAsync()).Members.Count(m => m.Entry.Status == SiloStatus.Active) == silos ? true : null,
                TimeSpan.FromSeconds(30),
                $"{silos} active silos");
            await client.RefreshMembershipAsync();
            return cluster;
        }
        catch
        {
            foreach (var silo in started)
            {
                await silo.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A probe key whose activation lands on <paramref name="silo"/> (activating probes until one does).</summary>
    public async Task<long> KeyOnAsync(SiloProcess silo)
    {
        for (long key = 1000; key < 1100; key++)
        {
            if (await Client.GetGrain<IProbeGrain>(key).ProcessIdAsync() == silo.ProcessId)
            {
                return key;
            }
        }

        throw new InvalidOperationException($"No probe among 100 activated on {silo.Address}.");
    }

    /// <summary>Waits until the table says <paramref name="silo"/> is dead, then makes the client read it.</summary>
    public async Task WaitUntilDeadAsync(SiloProcess silo, TimeSpan bound)
    {
        await Eventually.UntilAsync<object>(
            async () => (await new AdoNetMembershipTable(Database, ClusterId).ReadAllAsync()).TryGet(silo.Address) is { Entry.Status: SiloStatus.Dead } ? true : null,
            bound,
            $"{silo.Address} to be declared dead");
        await Client.RefreshMembershipAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Task.WhenAll(Silos.Select(s => s.DisposeAsync().AsTask()));
    }
}
