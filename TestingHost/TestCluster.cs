using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TinyKv.Actors.Networking;

namespace TinyKv.TestingHost;

/// <summary>
/// Several silos and a client in one process (Orleans' TestCluster), on a fake clock and an
/// in-memory network with filters. Time moves only through <see cref="AdvanceTimeAsync"/>, which
/// steps from timer to timer and waits for the network and every node's background work to go
/// quiet after each step, so liveness scenarios run deterministically and without sleeping.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly IReadOnlyList<Action<int, ISiloBuilder>> _configure;
    private readonly List<SiloHandle> _silos = [];
    private ClusterClient? _client;

    internal TestCluster(TestClusterOptions options, IReadOnlyList<Action<int, ISiloBuilder>> configure)
    {
        Options = options;
        _configure = configure;
        Network = new InMemoryNetwork(Time);
    }

    public TestClusterOptions Options { get; }

    public FakeTimeProvider Time { get; } = new();

    public InMemoryNetwork Network { get; }

    /// <summary>With <see cref="TestClusterOptions.UseTcpTransport"/>: the envelopes in flight between the nodes' TCP transports (QuiesceAsync waits for it).</summary>
    public TcpInFlightTracker TcpInFlight { get; } = new();

    public InMemoryMembershipTable MembershipTable { get; } = new();

    public InMemoryGrainDirectory Directory { get; } = new();

    /// <summary>The default grain storage, shared by every silo (it outlives them).</summary>
    public MemoryGrainStorage Storage { get; } = new();

    /// <summary>Silos still running, in start order.</summary>
    public IReadOnlyList<SiloHandle> Silos
    {
        get
        {
            lock (_silos)
            {
                return [.. _silos.Where(s => s.IsActive)];
            }
        }
    }

    public SiloHandle Primary => Silos[0];

    public IClusterClient Client => _client ?? throw new InvalidOperationException("Call DeployAsync first.");

    public IGrainFactory GrainFactory => Client;

    public async Task DeployAsync()
    {
        for (int i = 0; i < Options.InitialSilosCount; i++)
        {
            await StartSiloAsync(i);
        }

        IMessageTransport transport = Options.UseTcpTransport
            ? new TcpMessageTransport(new TcpTransportOptions { ClusterId = Options.ClusterId }, acceptConnections: false) { Tracker = TcpInFlight }
            : Network;
        _client = await ClusterClient.ConnectAsync(MembershipTable, transport, Time);
    }

    public Task<SiloHandle> StartAdditionalSiloAsync()
    {
        int index;
        lock (_silos)
        {
            index = _silos.Count == 0 ? 0 : _silos.Max(s => s.Index) + 1;
        }

        return StartSiloAsync(index);
    }

    /// <summary>Graceful stop: grains deactivate, the silo leaves membership.</summary>
    public async Task StopSiloAsync(SiloHandle silo)
    {
        await silo.Host.StopAsync();
        silo.Host.Dispose();
        await QuiesceAsync();
    }

    /// <summary>Crash: the silo vanishes; the others find out by probing.</summary>
    public async Task KillSiloAsync(SiloHandle silo)
    {
        await silo.Silo.KillAsync();
        silo.Host.Dispose();
    }

    /// <summary>Stops the silo and starts it again on the same port and data directory: a new generation.</summary>
    public async Task<SiloHandle> RestartSiloAsync(SiloHandle silo)
    {
        await StopSiloAsync(silo);
        lock (_silos)
        {
            _silos.Remove(silo);
        }

        return await StartSiloAsync(silo.Index);
    }

    public void AddFilter(INetworkFilter filter) => Network.AddFilter(filter);

    public void ClearFilters() => Network.ClearFilters();

    /// <summary>Cuts the network between the given groups of silos (clients reach everyone).</summary>
    public void Partition(params IEnumerable<SiloHandle>[] groups) =>
        AddFilter(new PartitionFilter(groups.Select(g => g.Select(s => s.SiloAddress))));

    /// <summary>
    /// Moves fake time forward by <paramref name="delta"/>, one timer at a time, letting the cluster
    /// settle after each step.
    /// </summary>
    public async Task AdvanceTimeAsync(TimeSpan delta)
    {
        var target = Time.GetUtcNow() + delta;
        await QuiesceAsync();
        while (true)
        {
            var now = Time.GetUtcNow();
            var next = Time.NextDue();
            var step = next is { } due && due < target ? due : target;
            Time.Advance(step > now ? step - now : TimeSpan.Zero);
            await QuiesceAsync();
            if (step >= target)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Advances fake time by the failure-detection time (NumMissedProbesLimit + 1 probe periods,
    /// plus one table refresh), so that a crash or partition has been noticed, then further until
    /// membership is settled: the table's active silos are exactly the running silos, and every
    /// node has read the latest table version.
    /// </summary>
    public async Task WaitForLivenessToStabilizeAsync()
    {
        var deadline = Time.GetUtcNow() + Options.MaxStabilizationTime;
        var liveness = Silos.Count == 0
            ? new ClusterMembershipOptions()
            : Silos[0].Host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        await AdvanceTimeAsync((liveness.ProbeTimeout * (liveness.NumMissedProbesLimit + 1)) + liveness.TableRefreshTimeout);
        while (true)
        {
            await QuiesceAsync();
            if (await IsStableAsync())
            {
                return;
            }

            if (Time.GetUtcNow() >= deadline)
            {
                var data = await MembershipTable.ReadAllAsync();
                throw new TimeoutException($"Membership did not stabilize within {Options.MaxStabilizationTime} of fake time: table v{data.Version.Version} [{string.Join(", ", data.Members.Select(m => m.Entry))}], running [{string.Join(", ", Silos)}].");
            }

            await AdvanceTimeAsync(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Waits until nothing is in flight on the network and no node runs background work.</summary>
    public async Task QuiesceAsync()
    {
        try
        {
            await QuiesceCoreAsync().WaitAsync(Options.QuiescenceTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"The cluster did not go quiet within {Options.QuiescenceTimeout} (real time): background work " +
                $"[{string.Join(", ", Silos.Select(s => $"{s.Name}={s.Silo.Work.Running}"))}], network idle={Network.WhenIdleAsync().IsCompleted}, " +
                $"TCP envelopes in flight={TcpInFlight.InFlight}. " +
                "Is a grain's OnDeactivateAsync or timer callback waiting on fake time?");
        }
    }

    private async Task QuiesceCoreAsync()
    {
        for (int round = 0; round < 1000; round++)
        {
            await Network.WhenIdleAsync();
            await TcpInFlight.WhenIdleAsync();
            SiloHandle[] silos;
            lock (_silos)
            {
                silos = [.. _silos];
            }

            bool busy = false;
            foreach (var silo in silos)
            {
                busy |= silo.Silo.Work.Running > 0;
                await silo.Silo.Work.WhenIdleAsync();
            }

            if (_client is not null)
            {
                busy |= _client.Work.Running > 0;
                await _client.Work.WhenIdleAsync();
            }

            await Task.Yield();
            if (!busy && Network.WhenIdleAsync().IsCompleted && TcpInFlight.WhenIdleAsync().IsCompleted)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        SiloHandle[] silos;
        lock (_silos)
        {
            silos = [.. _silos];
            _silos.Clear();
        }

        foreach (var silo in silos)
        {
            await silo.Silo.KillAsync();
            silo.Host.Dispose();
        }

        if (System.IO.Directory.Exists(Options.DataRoot))
        {
            System.IO.Directory.Delete(Options.DataRoot, recursive: true);
        }
    }

    private async Task<bool> IsStableAsync()
    {
        var data = await MembershipTable.ReadAllAsync();
        var running = Silos.Select(s => s.SiloAddress).ToHashSet();
        var active = data.Members.Where(m => m.Entry.Status == SiloStatus.Active).Select(m => m.Entry.SiloAddress).ToHashSet();
        return running.SetEquals(active) &&
               Silos.All(s => s.Silo.Membership!.Current.Version == data.Version.Version) &&
               (_client is null || _client.Membership.Current.Version == data.Version.Version);
    }

    private async Task<SiloHandle> StartSiloAsync(int index)
    {
        string name = $"silo-{index}";
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseTinyKvSilo(silo =>
            {
                silo.Configure<SiloOptions>(o =>
                {
                    o.ClusterId = Options.ClusterId;
                    o.SiloName = name;
                    o.SiloPort = Options.UseTcpTransport ? FreeLoopbackPort() : Options.BaseSiloPort + index;
                    o.DataDirectory = Path.Combine(Options.DataRoot, name);
                });
                silo.UseInMemoryClustering(MembershipTable, Directory);
                if (Options.UseTcpTransport)
                {
                    silo.Services.AddSingleton<IEnvelopeTracker>(TcpInFlight);
                    silo.UseTcpTransport();
                }
                else
                {
                    silo.UseTransport(Network);
                }
                silo.UseTimeProvider(Time);
                silo.AddMemoryGrainStorageAsDefault(Storage);
                foreach (var configure in _configure)
                {
                    configure(index, silo);
                }
            })
            .Build();
        await host.StartAsync();
        var handle = new SiloHandle(index, name, host, host.Services.GetRequiredService<Silo>());
        lock (_silos)
        {
            _silos.Add(handle);
        }

        if (_client is not null)
        {
            await _client.RefreshMembershipAsync();
        }

        // The other silos learn of the new one by its membership gossip, as in a real cluster.
        await QuiesceAsync();
        return handle;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
