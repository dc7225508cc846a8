namespace TinyKv.Actors;

/// <summary>
/// A grain's persistent state facet (Orleans' IPersistentState): read before OnActivateAsync,
/// written when the grain asks.
/// </summary>
public interface IPersistentState<TState>
{
    TState State { get; set; }

    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    Task WriteStateAsync();

    Task ClearStateAsync();
}
