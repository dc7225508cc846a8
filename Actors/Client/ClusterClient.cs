using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyKv.Actors.Membership;
using TinyKv.Actors.Runtime;

namespace TinyKv.Actors;

/// <summary>
/// A client node: reads the membership table for gateways, sends every call to an active silo
/// (chosen by the grain's hash) which routes it, and receives responses on its own address.
/// Calls to a gateway that membership declares dead fail with <see cref="SiloUnavailableException"/>;
/// the next call picks a live gateway.
/// </summary>
public sealed class ClusterClient : IClusterClient
{
    private static int _nextPort = 40000;

    private readonly RuntimeClient _runtime;
    private readonly MembershipService _membership;
    private readonly IAsyncDisposable _listener;
    private readonly ITimer _refresh;

    private ClusterClient(RuntimeClient runtime, IMessageTransport transport, MembershipService membership, IAsyncDisposable listener, ITimer refresh, BackgroundWork work)
    {
        Work = work;
        Transport = transport;
        _runtime = runtime;
        _membership = membership;
        _listener = listener;
        _refresh = refresh;
    }

    public SiloAddress ClientAddress => _runtime.LocalAddress;

    internal BackgroundWork Work { get; }

    internal MembershipService Membership => _membership;

    internal IMessageTransport Transport { get; }

    /// <summary>
    /// Connects: listens for responses, runs <paramref name="beforeFirstRead"/> (a static gateway list
    /// dials its gateways; its exception fails the connect), reads membership, and refreshes the
    /// gateway list every TableRefreshTimeout.
    /// </summary>
    public static async Task<ClusterClient> ConnectAsync(
        IMembershipTable table,
        IMessageTransport transport,
        TimeProvider time,
        SiloMessagingOptions? messaging = null,
        ClusterMembershipOptions? liveness = null,
        IServiceProvider? services = null,
        IReadOnlyList<IOutgoingGrainCallFilter>? outgoingFilters = null,
        ILogger? logger = null,
        Func<CancellationToken, Task>? beforeFirstRead = null,
        CancellationToken cancellationToken = default)
    {
        var address = new SiloAddress("client", Interlocked.Increment(ref _nextPort), Random.Shared.Next(1, int.MaxValue));
        var membership = new MembershipService(table);
        var work = new BackgroundWork();
        var runtime = new RuntimeClient(
            address,
            services ?? EmptyServices.Instance,
            time,
            transport,
            membership,
            messaging ?? new SiloMessagingOptions(),
            logger ?? NullLogger.Instance,
            directory: null,
            placement: null,
            incoming: [],
            outgoing: outgoingFilters ?? [],
            work: work);
        var listener = await transport.ListenAsync(address, runtime, cancellationToken);
        try
        {
            if (beforeFirstRead is not null)
            {
                await beforeFirstRead(cancellationToken);
            }

            await membership.RefreshAsync();
        }
        catch
        {
            await listener.DisposeAsync();
            await runtime.StopAsync(new ObjectDisposedException(nameof(ClusterClient)));
            throw;
        }

        runtime.Start();
        var period = (liveness ?? new ClusterMembershipOptions()).TableRefreshTimeout;
        var refresh = time.CreateTimer(_ => work.Run(() => membership.RefreshAsync(), _ => { }), null, period, period);
        return new ClusterClient(runtime, transport, membership, listener, refresh, work);
    }

    /// <summary>Connects to the silos of this process that use UseLocalhostClustering with <paramref name="clusterId"/>.</summary>
    public static Task<ClusterClient> ConnectLocalhostAsync(string clusterId = "dev", CancellationToken cancellationToken = default)
    {
        var cluster = LocalhostCluster.For(clusterId);
        return ConnectAsync(cluster.MembershipTable, cluster.Network, TimeProvider.System, cancellationToken: cancellationToken);
    }

    /// <summary>Reads the membership table now (the client also does so periodically).</summary>
    public Task RefreshMembershipAsync() => _membership.RefreshAsync();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey)
        where TGrainInterface : IGrainWithIntegerKey => _runtime.GetGrain<TGrainInterface>(primaryKey);

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
        where TGrainInterface : IGrainWithStringKey => _runtime.GetGrain<TGrainInterface>(primaryKey);

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey)
        where TGrainInterface : IGrainWithGuidKey => _runtime.GetGrain<TGrainInterface>(primaryKey);

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension)
        where TGrainInterface : IGrainWithIntegerCompoundKey => _runtime.GetGrain<TGrainInterface>(primaryKey, keyExtension);

    public async ValueTask DisposeAsync()
    {
        await _refresh.DisposeAsync();
        await _listener.DisposeAsync();
        await _runtime.StopAsync(new ObjectDisposedException(nameof(ClusterClient)));
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
