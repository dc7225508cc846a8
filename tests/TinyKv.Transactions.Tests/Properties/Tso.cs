namespace TinyKv.Transactions.Tests.Properties;

/// <summary>
/// A fake timestamp oracle: strictly increasing timestamps whose physical part advances one
/// millisecond every <see cref="TicksPerMillisecond"/> allocations, so lock TTLs expire by the
/// passage of timestamps, never of wall time. Thread-safe.
/// </summary>
internal sealed class Tso(ulong startPhysical = 1_000)
{
    public const ulong TicksPerMillisecond = 4;

    private long _counter;

    public TimeStamp Next()
    {
        ulong tick = (ulong)Interlocked.Increment(ref _counter);
        return TimeStamp.Compose(startPhysical + (tick / TicksPerMillisecond), tick % TicksPerMillisecond);
    }

    /// <summary>Moves time forward by <paramref name="milliseconds"/> without issuing timestamps.</summary>
    public void Advance(ulong milliseconds) => Interlocked.Add(ref _counter, (long)(milliseconds * TicksPerMillisecond));
}
