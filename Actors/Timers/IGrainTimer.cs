namespace TinyKv.Actors;

/// <summary>A grain timer (Orleans' IGrainTimer).</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Re-arms the timer: next tick after <paramref name="dueTime"/>, then every <paramref name="period"/> (Timeout.InfiniteTimeSpan: once).</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
