namespace TinyKv.Actors;

/// <summary>A state record as a storage provider sees it: the value, its ETag and whether a record exists.</summary>
public interface IGrainState<T>
{
    T State { get; set; }

    /// <summary>The version the provider last read or wrote; null when no record exists.</summary>
    string? ETag { get; set; }

    bool RecordExists { get; set; }
}
