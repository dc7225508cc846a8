namespace TinyKv.Actors;

/// <summary>How a grain timer ticks.</summary>
/// <param name="DueTime">Time to the first tick.</param>
/// <param name="Period">Time between the end of one callback and the next tick; Timeout.InfiniteTimeSpan ticks once.</param>
public readonly record struct GrainTimerCreationOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>Ticks may interleave with requests (default false: a tick is a turn like a request).</summary>
    public bool Interleave { get; init; }

    /// <summary>A tick counts as use, postponing idle collection (default false).</summary>
    public bool KeepAlive { get; init; }
}
