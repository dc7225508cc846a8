using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TinyKv.Actors.Membership;
using TinyKv.Actors.Placement;
using TinyKv.Actors.Runtime;

namespace TinyKv.Actors;

/// <summary>
/// A silo on the generic host (registered by UseTinyKvSilo). Start: choose a new generation,
/// listen, join the membership table as Active, start liveness and idle collection. Graceful
/// stop: ShuttingDown, deactivate every grain (OnDeactivateAsync, leave the directory), Dead.
/// <see cref="KillAsync"/> is the crash: nothing is written, grains vanish, peers find out by probes.
/// A silo that reads that it was declared dead kills itself.
/// </summary>
public sealed class Silo : IHostedService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly SiloOptions _options;
    private readonly SiloMessagingOptions _messaging;
    private readonly GrainCollectionOptions _collection;
    private readonly ClusterMembershipOptions _liveness;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private IAsyncDisposable? _listener;
    private MembershipAgent? _agent;
    private ITimer? _collector;
    private bool _down;

    /// <summary>Set when a graceful stop begins: the Dead row it writes is its own, not a verdict to obey.</summary>
    private volatile bool _stopping;

    public Silo(
        IServiceProvider services,
        IOptions<SiloOptions> options,
        IOptions<SiloMessagingOptions> messaging,
        IOptions<GrainCollectionOptions> collection,
        IOptions<ClusterMembershipOptions> liveness,
        TimeProvider time,
        ILoggerFactory? loggers = null)
    {
        _services = services;
        _options = options.Value;
        _messaging = messaging.Value;
        _collection = collection.Value;
        _liveness = liveness.Value;
        _time = time;
        _log = (loggers ?? NullLoggerFactory.Instance).CreateLogger("TinyKv.Actors.Silo");
    }

    /// <summary>This incarnation's address; set by StartAsync.</summary>
    public SiloAddress SiloAddress => Runtime?.LocalAddress ?? throw new InvalidOperationException("The silo has not started.");

    public string Name => _options.SiloName ?? $"silo-{_options.SiloPort}";

    /// <summary>Makes grain references that call from this silo.</summary>
    public IGrainFactory GrainFactory => Runtime ?? throw new InvalidOperationException("The silo has not started.");

    /// <summary>Completes when the silo stopped, was killed, or killed itself after being declared dead.</summary>
    public Task Stopped => _stopped.Task;

    public bool IsRunning => Runtime is not null && !_down;

    /// <summary>Activations on this silo now.</summary>
    public int ActivationCount => Catalog?.Count ?? 0;

    internal RuntimeClient? Runtime { get; private set; }

    internal Catalog? Catalog { get; private set; }

    internal MembershipService? Membership { get; private set; }

    internal BackgroundWork Work { get; } = new();

    /// <summary>True when an activation of <paramref name="grainId"/> lives on this silo.</summary>
    public bool HostsActivation(GrainId grainId) =>
        Catalog is { } catalog && catalog.Activations.Any(a => a.GrainId == grainId && a.State != ActivationState.Invalid);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var table = _services.GetService<IMembershipTable>()
            ?? throw new InvalidOperationException("No clustering configured: call UseLocalhostClustering() or UseInMemoryClustering(...) on the silo builder.");
        var transport = _services.GetService<IMessageTransport>()
            ?? throw new InvalidOperationException("No transport configured: call UseLocalhostClustering() or UseTransport(...) on the silo builder.");
        var directory = _services.GetRequiredService<IGrainDirectory>();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        int generation = await MembershipAgent.ChooseGenerationAsync(table, _options.AdvertisedHost, _options.SiloPort, _time);
        var address = new SiloAddress(_options.AdvertisedHost, _options.SiloPort, generation);
        Membership = new MembershipService(table);
        Runtime = new RuntimeClient(
            address,
            _services,
            _time,
            transport,
            Membership,
            _messaging,
            _log,
            directory,
            new PlacementService(_services, address),
            [.. _services.GetServices<IIncomingGrainCallFilter>()],
            [.. _services.GetServices<IOutgoingGrainCallFilter>()],
            Work);
        Catalog = new Catalog(Runtime);
        Runtime.Catalog = Catalog;
        _agent = new MembershipAgent(Runtime, Membership, _liveness, _options, _time, Work, _log);
        Runtime.Agent = _agent;
        Membership.Changed += OnMembershipChanged;
        Runtime.Start();
        _listener = await transport.ListenAsync(address, Runtime, cancellationToken);
        await _agent.JoinAsync();
        _agent.StartTimers();
        _collector = _time.CreateTimer(static s => ((Silo)s!).CollectIdle(), this, _collection.CollectionQuantum, _collection.CollectionQuantum);
        _log.SiloStarted(address);
    }

    /// <summary>
    /// Graceful stop: deactivates grains and leaves membership. When <paramref name="cancellationToken"/>
    /// fires first (the host's shutdown timeout), grains still busy are abandoned and the silo writes Dead.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(CancellationToken.None);
        try
        {
            if (_down || Runtime is null)
            {
                return;
            }

            _stopping = true;
            await _agent!.WriteStatusAsync(SiloStatus.ShuttingDown);
            Catalog!.AcceptsActivations = false;
            try
            {
                await Catalog.DeactivateAllAsync(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is stopping.")).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Catalog.AbandonAll();
            }

            await _agent.WriteStatusAsync(SiloStatus.Dead);
            await ShutDownAsync("stopped");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>The crash: no table writes, no OnDeactivateAsync; peers declare this silo dead by probing.</summary>
    public async Task KillAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_down || Runtime is null)
            {
                return;
            }

            Catalog!.AcceptsActivations = false;
            Catalog.AbandonAll();
            await ShutDownAsync("killed");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Kills the silo if it still runs; idempotent (the host may dispose it twice).</summary>
    public async ValueTask DisposeAsync() => await KillAsync();

    private async Task ShutDownAsync(string how)
    {
        _down = true;
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }

        await _agent!.DisposeAsync();
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        Membership!.Changed -= OnMembershipChanged;
        await Runtime!.StopAsync(new SiloUnavailableException($"Silo {Runtime.LocalAddress} {how}."));
        _log.SiloStopped(Runtime.LocalAddress, how);
        _stopped.TrySetResult();
    }

    private void CollectIdle() => Catalog?.CollectIdle(_time.GetUtcNow(), _collection.CollectionAge);

    private void OnMembershipChanged(MembershipSnapshot previous, MembershipSnapshot current)
    {
        if (Runtime is { } runtime && !_down && !_stopping && current.IsDead(runtime.LocalAddress))
        {
            _log.DeclaredDead(runtime.LocalAddress);
            Work.Run(KillAsync, e => _log.MembershipFailed(e));
        }
    }
}
