namespace TinyKv.Actors;

/// <summary>
/// A grain state provider (Orleans' IGrainStorage). Writes and clears are conditional on
/// <see cref="IGrainState{T}.ETag"/>: a stale ETag fails with <see cref="InconsistentStateException"/>
/// and changes nothing, so two activations can never silently overwrite each other.
/// </summary>
public interface IGrainStorage
{
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}
