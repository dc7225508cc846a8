using TinyKv.Actors.Persistence;
using TinyKv.Actors.Timers;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// One activation of a grain: its instance, its scheduler, its waiting and running requests.
/// Invariants (under <see cref="_gate"/>): a request is in at most one of waiting/running; a
/// request starts only when <see cref="MayInvoke"/> allows it; the pump runs only on
/// <see cref="Scheduler"/>, so grain code never runs on two threads at once.
/// Split by role: scheduling (turns), lifecycle (activate, deactivate), timers.
/// </summary>
internal sealed partial class ActivationData
{
    [ThreadStatic]
    private static ActivationData? _constructing;

    private readonly Lock _gate = new();
    private readonly List<Message> _waiting = [];
    private readonly List<Message> _running = [];
    private readonly List<GrainTimer> _timers = [];
    private readonly CancellationTokenSource _lifetime = new();
    private ActivationState _state = ActivationState.Activating;
    private Grain? _grain;
    private IReadOnlyList<ILoadablePersistentState> _states = [];
    private bool _pumping;
    private DateTimeOffset _lastUsed;
    private DateTimeOffset _keepAliveUntil;

    public ActivationData(GrainId grainId, GrainClassInfo classInfo, RuntimeClient runtime, Catalog catalog)
    {
        GrainId = grainId;
        ClassInfo = classInfo;
        Runtime = runtime;
        Catalog = catalog;
        Address = new GrainAddress(grainId, runtime.LocalAddress, Guid.NewGuid());
        _lastUsed = runtime.Time.GetUtcNow();
    }

    /// <summary>The activation whose grain constructor is running on this thread.</summary>
    public static ActivationData? Constructing => _constructing;

    public GrainId GrainId { get; }

    public GrainClassInfo ClassInfo { get; }

    public RuntimeClient Runtime { get; }

    public Catalog Catalog { get; }

    public GrainAddress Address { get; }

    public ActivationTaskScheduler Scheduler { get; } = new();

    public Grain? GrainInstance => _grain;

    public ActivationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Waiting plus running requests: the load a stateless-worker pool balances on.</summary>
    public int Load
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count + _running.Count;
            }
        }
    }

    public override string ToString() => $"[Activation {GrainId} {Address.ActivationId:N} {State}]";
}
