using System.Globalization;

namespace TinyKv.Actors.Persistence;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: one named state of one grain in one provider.</summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IGrainState<TState>, ILoadablePersistentState
{
    private readonly string _stateName;
    private readonly GrainId _grainId;
    private readonly IGrainStorage _storage;

    public PersistentState(string stateName, GrainId grainId, IGrainStorage storage)
    {
        _stateName = stateName;
        _grainId = grainId;
        _storage = storage;
        State = StateFactory.CreateDefault<TState>();
    }

    public TState State { get; set; }

    public string? ETag { get; set; }

    public string? Etag => ETag;

    public bool RecordExists { get; set; }

    public Task ReadStateAsync() => _storage.ReadStateAsync(_stateName, _grainId, this);

    public Task WriteStateAsync() => _storage.WriteStateAsync(_stateName, _grainId, this);

    public Task ClearStateAsync() => _storage.ClearStateAsync(_stateName, _grainId, this);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_grainId}/{_stateName} etag={ETag}");
}

/// <summary>Loaded by the activation before OnActivateAsync.</summary>
internal interface ILoadablePersistentState
{
    Task ReadStateAsync();
}

internal static class StateFactory
{
    /// <summary>A fresh state: a new instance for classes with a parameterless constructor (protobuf messages), default otherwise.</summary>
    public static T CreateDefault<T>() =>
        typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is null ? default! : Activator.CreateInstance<T>();
}
