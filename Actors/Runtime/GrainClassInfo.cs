using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using TinyKv.Actors.Persistence;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// What the silo knows about one grain class: concurrency, placement, collection age and how to
/// construct it (constructor parameters from DI, [PersistentState] facets from grain storage).
/// </summary>
internal sealed class GrainClassInfo
{
    private readonly ConstructorInfo _constructor;
    private readonly ParameterInfo[] _parameters;

    public GrainClassInfo(Type classType)
    {
        ClassType = classType;
        IsReentrant = classType.IsDefined(typeof(ReentrantAttribute), inherit: true);
        MaxLocalWorkers = classType.GetCustomAttribute<StatelessWorkerAttribute>(inherit: true)?.MaxLocalWorkers ?? 0;
        Placement = classType.GetCustomAttribute<PlacementAttribute>(inherit: true)?.PlacementStrategy ?? RandomPlacement.Instance;
        var age = classType.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true);
        AlwaysActive = age?.AlwaysActive ?? false;
        CollectionAge = age is { Minutes: > 0 } ? TimeSpan.FromMinutes(age.Minutes) : null;
        _constructor = classType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {classType.FullName} has no public constructor.");
        _parameters = _constructor.GetParameters();
        foreach (var p in _parameters)
        {
            if (p.IsDefined(typeof(PersistentStateAttribute)) &&
                !(p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IPersistentState<>)))
            {
                throw new InvalidOperationException($"{classType.Name}: [PersistentState] parameter '{p.Name}' must be IPersistentState<T>.");
            }
        }
    }

    public Type ClassType { get; }

    public bool IsReentrant { get; }

    /// <summary>0 unless the class is a [StatelessWorker].</summary>
    public int MaxLocalWorkers { get; }

    public bool IsStatelessWorker => MaxLocalWorkers > 0;

    public PlacementStrategy Placement { get; }

    public bool AlwaysActive { get; }

    /// <summary>A per-class collection age, or null for the silo's.</summary>
    public TimeSpan? CollectionAge { get; }

    /// <summary>Constructs the grain; must run with <see cref="ActivationData.Constructing"/> set.</summary>
    public (Grain Grain, IReadOnlyList<ILoadablePersistentState> States) Create(IServiceProvider services, GrainId grainId)
    {
        var args = new object?[_parameters.Length];
        var states = new List<ILoadablePersistentState>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
            {
                string storageName = attribute.StorageName ?? GrainStorageNames.Default;
                var storage = services.GetKeyedService<IGrainStorage>(storageName)
                    ?? throw new InvalidOperationException($"{ClassType.Name}: no grain storage named '{storageName}' is registered (AddMemoryGrainStorage).");
                var stateType = typeof(PersistentState<>).MakeGenericType(p.ParameterType.GetGenericArguments()[0]);
                var state = (ILoadablePersistentState)Activator.CreateInstance(stateType, attribute.StateName, grainId, storage)!;
                states.Add(state);
                args[i] = state;
            }
            else
            {
                args[i] = services.GetService(p.ParameterType)
                    ?? (p.HasDefaultValue ? p.DefaultValue : throw new InvalidOperationException($"{ClassType.Name}: cannot resolve constructor parameter '{p.Name}' of type {p.ParameterType.Name}."));
            }
        }

        try
        {
            return ((Grain)_constructor.Invoke(args), states);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
