using TinyKv.Actors.Runtime;
using TinyKv.Actors.Timers;

namespace TinyKv.Actors;

/// <summary>
/// Base class of every grain (Orleans' Grain). The runtime constructs it on the activation's
/// scheduler, so its constructor may already use <see cref="GrainFactory"/> and its key. All
/// grain code runs one turn at a time on that scheduler (see Actors/README.md, "Guarantees").
/// </summary>
public abstract class Grain : IAddressable
{
    protected Grain()
    {
        Activation = ActivationData.Constructing
            ?? throw new InvalidOperationException("Grains are created by the runtime on their first call; do not construct them directly.");
    }

    internal ActivationData Activation { get; }

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Activation.GrainId;

    /// <summary>"type/key": for logs.</summary>
    public string IdentityString => Activation.GrainId.ToString();

    /// <summary>The silo this activation runs on.</summary>
    public SiloAddress RuntimeIdentity => Activation.Runtime.LocalAddress;

    protected IGrainFactory GrainFactory => Activation.Runtime;

    protected IServiceProvider ServiceProvider => Activation.Runtime.Services;

    /// <summary>Called once before the first message; a thrown exception fails the activation and the waiting calls.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once when the activation is collected, asked to leave or its silo stops gracefully (never on a crash).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current request completes.</summary>
    protected void DeactivateOnIdle() => Activation.DeactivateOnIdle();

    /// <summary>Keeps the activation from idle collection for at least <paramref name="timeSpan"/>.</summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => Activation.DelayDeactivation(timeSpan);

    /// <summary>
    /// A timer whose callback runs as a turn of this activation, never overlapping another turn
    /// (unless <see cref="GrainTimerCreationOptions.Interleave"/>); the next period starts when the
    /// callback's task completes. Disposed with the activation.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Activation.RegisterTimer((s, ct) => callback((TState)s!, ct), state, options);
    }

    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Activation.RegisterTimer((_, ct) => callback(ct), null, new GrainTimerCreationOptions(dueTime, period));
    }
}
