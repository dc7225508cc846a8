using System.Collections.Concurrent;

namespace TinyKv.Actors.Tests.Grains;

/// <summary>What grains report to the test that owns the cluster (registered per test through ConfigureSilos).</summary>
public sealed class GrainEvents
{
    public ConcurrentQueue<string> Log { get; } = new();

    public int Activations;

    public int Deactivations;

    public ConcurrentQueue<DeactivationReasonCode> DeactivationReasons { get; } = new();

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
