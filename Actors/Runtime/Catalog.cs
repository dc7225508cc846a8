using System.Collections.Concurrent;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// The activations of one silo, by identity (Orleans' Catalog). Directory-registered grains have
/// at most one local activation per identity; stateless workers have a local pool.
/// </summary>
internal sealed class Catalog
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly ConcurrentDictionary<GrainId, List<ActivationData>> _workers = new();
    private readonly RuntimeClient _runtime;

    public Catalog(RuntimeClient runtime)
    {
        _runtime = runtime;
    }

    /// <summary>False once the silo stops: new activations are placed elsewhere.</summary>
    public bool AcceptsActivations { get; set; } = true;

    public int Count => _activations.Count + _workers.Values.Sum(w => w.Count);

    public IReadOnlyList<ActivationData> Activations =>
        [.. _activations.Values, .. _workers.Values.SelectMany(w => w)];

    public bool TryGetActivation(GrainId id, out ActivationData activation) => _activations.TryGetValue(id, out activation!);

    /// <summary>Queues on the local activation when there is one.</summary>
    public bool TryDeliverExisting(Message message) =>
        _activations.TryGetValue(message.TargetGrain, out var activation) && activation.TryEnqueue(message);

    /// <summary>Creates the activation here (or joins one being created) and queues the message.</summary>
    public void ActivateAndDeliver(Message message, GrainClassInfo classInfo, GrainAddress? previous)
    {
        while (true)
        {
            if (_activations.TryGetValue(message.TargetGrain, out var existing))
            {
                if (existing.TryEnqueue(message))
                {
                    return;
                }

                _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(message.TargetGrain, existing));
                continue;
            }

            var created = new ActivationData(message.TargetGrain, classInfo, _runtime, this);
            if (!_activations.TryAdd(message.TargetGrain, created))
            {
                continue;
            }

            created.TryEnqueue(message);
            created.Start(previous);
            return;
        }
    }

    /// <summary>Queues on the least loaded local worker, adding one while under the class's limit.</summary>
    public void DeliverToWorker(Message message, GrainClassInfo classInfo)
    {
        var pool = _workers.GetOrAdd(message.TargetGrain, static _ => []);
        while (true)
        {
            ActivationData? target = null;
            bool created = false;
            lock (pool)
            {
                int bestLoad = int.MaxValue;
                foreach (var worker in pool)
                {
                    int load = worker.Load;
                    if (load < bestLoad)
                    {
                        (target, bestLoad) = (worker, load);
                    }
                }

                if (target is null || (bestLoad > 0 && pool.Count < classInfo.MaxLocalWorkers))
                {
                    target = new ActivationData(message.TargetGrain, classInfo, _runtime, this);
                    pool.Add(target);
                    created = true;
                }
            }

            if (target.TryEnqueue(message))
            {
                if (created)
                {
                    target.Start(previous: null);
                }

                return;
            }
        }
    }

    public void Remove(ActivationData activation)
    {
        if (activation.ClassInfo.IsStatelessWorker)
        {
            if (_workers.TryGetValue(activation.GrainId, out var pool))
            {
                lock (pool)
                {
                    pool.Remove(activation);
                }
            }

            return;
        }

        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
    }

    /// <summary>Deactivates every activation idle for longer than its age.</summary>
    public int CollectIdle(DateTimeOffset now, TimeSpan age)
    {
        int collected = 0;
        foreach (var activation in Activations)
        {
            if (activation.IsCollectable(now, age))
            {
                _ = activation.DeactivateAsync(new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"Idle for at least {activation.ClassInfo.CollectionAge ?? age}."));
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Graceful stop: every activation runs OnDeactivateAsync and leaves the directory.</summary>
    public Task DeactivateAllAsync(DeactivationReason reason) =>
        Task.WhenAll(Activations.Select(a => a.DeactivateAsync(reason)));

    /// <summary>Abrupt stop: activations vanish without running grain code.</summary>
    public void AbandonAll()
    {
        foreach (var activation in Activations)
        {
            activation.Abandon();
        }
    }
}
