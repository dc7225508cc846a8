using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TinyKv.Actors.Invocation;
using TinyKv.Actors.Membership;
using TinyKv.Actors.Placement;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// A node of the cluster: a silo (with a <see cref="Catalog"/>) or a client (without). It makes
/// grain references, sends calls and matches responses, and, on a silo, routes incoming calls
/// to activations. Split by role: sending, receiving, routing.
/// </summary>
internal sealed partial class RuntimeClient : IGrainFactory, IEnvelopeReceiver
{
    private readonly CallbackRegistry _callbacks = new();
    private readonly GrainLocationCache _locations = new();
    private readonly ConcurrentDictionary<SiloAddress, Task<IMessageConnection>> _connections = new();
    private readonly IMessageTransport _transport;
    private readonly SiloMessagingOptions _messaging;
    private readonly IReadOnlyList<IOutgoingGrainCallFilter> _outgoing;
    private readonly IGrainDirectory? _directory;
    private readonly PlacementService? _placement;
    /// <summary>
    /// Message ids, in blocks of 64 per thread. The calls in flight at once stay within a few blocks of
    /// each other, so they nearly always get distinct slots of <see cref="CallbackRegistry"/>'s ring; a
    /// thread that paused resumes with older ids, and a slot still held then sends its call to the overflow.
    /// </summary>
    private readonly BlockCounter _ids = new(blockSize: 64);
    private ITimer? _sweep;
    private volatile bool _stopped;

    public RuntimeClient(
        SiloAddress localAddress,
        IServiceProvider services,
        TimeProvider time,
        IMessageTransport transport,
        MembershipService membership,
        SiloMessagingOptions messaging,
        ILogger log,
        IGrainDirectory? directory,
        PlacementService? placement,
        IReadOnlyList<IIncomingGrainCallFilter> incoming,
        IReadOnlyList<IOutgoingGrainCallFilter> outgoing,
        BackgroundWork work)
    {
        Work = work;
        LocalAddress = localAddress;
        Services = services;
        Time = time;
        _transport = transport;
        Membership = membership;
        _messaging = messaging;
        Log = log;
        _directory = directory;
        _placement = placement;
        IncomingFilters = incoming;
        _outgoing = outgoing;
        Membership.Changed += OnMembershipChanged;
    }

    public SiloAddress LocalAddress { get; }

    public IServiceProvider Services { get; }

    public TimeProvider Time { get; }

    public MembershipService Membership { get; }

    public ILogger Log { get; }

    /// <summary>Background work of this node (membership rounds, queued timer ticks), for tests on fake time.</summary>
    public BackgroundWork Work { get; }

    public IReadOnlyList<IIncomingGrainCallFilter> IncomingFilters { get; }

    /// <summary>Set on silos only.</summary>
    public Catalog? Catalog { get; set; }

    /// <summary>Set on silos only: answers probes.</summary>
    public MembershipAgent? Agent { get; set; }

    public int PendingCalls => _callbacks.Count;

    public void Start()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_messaging.ResponseTimeout.Ticks / 30, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _sweep = Time.CreateTimer(static s => ((RuntimeClient)s!).Sweep(), this, period, period);
    }

    /// <summary>Stops timers and fails every call still waiting with <paramref name="reason"/>.</summary>
    public async ValueTask StopAsync(Exception reason)
    {
        _stopped = true;
        Membership.Changed -= OnMembershipChanged;
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync();
        }

        _callbacks.FailAll(reason);
        foreach (var connection in _connections.Values)
        {
            if (connection.IsCompletedSuccessfully)
            {
                await (await connection).DisposeAsync();
            }
        }

        _connections.Clear();
    }

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey)
        where TGrainInterface : IGrainWithIntegerKey =>
        GrainReference.Create<TGrainInterface>(this, GrainId.Create(InterfaceDescriptor.For(typeof(TGrainInterface)).Name, primaryKey));

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
        where TGrainInterface : IGrainWithStringKey =>
        GrainReference.Create<TGrainInterface>(this, GrainId.Create(InterfaceDescriptor.For(typeof(TGrainInterface)).Name, primaryKey));

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey)
        where TGrainInterface : IGrainWithGuidKey =>
        GrainReference.Create<TGrainInterface>(this, GrainId.Create(InterfaceDescriptor.For(typeof(TGrainInterface)).Name, primaryKey));

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension)
        where TGrainInterface : IGrainWithIntegerCompoundKey =>
        GrainReference.Create<TGrainInterface>(this, GrainId.Create(InterfaceDescriptor.For(typeof(TGrainInterface)).Name, primaryKey, keyExtension));

    private void Sweep() => _callbacks.ExpireBefore(Time.GetUtcNow());

    private void OnMembershipChanged(MembershipSnapshot previous, MembershipSnapshot current)
    {
        var dead = current.Entries.Keys.Concat(previous.Entries.Keys).Concat(_connections.Keys)
            .Distinct()
            .Where(s => current.IsDead(s) && !previous.IsDead(s) || current.IsDead(s) && _connections.ContainsKey(s))
            .ToList();
        if (dead.Count == 0)
        {
            return;
        }

        foreach (var silo in dead)
        {
            _callbacks.FailSilo(silo);
            _connections.TryRemove(silo, out _);
        }

        if (_directory is not null)
        {
            _ = _directory.UnregisterSilosAsync(dead).AsTask();
        }
    }
}
