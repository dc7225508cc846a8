namespace TinyKv.Scheduler.Ids;

/// <summary>
/// The timestamp oracle (TSO): hands out strictly increasing <see cref="Timestamp"/>s, never going
/// back across restarts. Thread-safe.
/// </summary>
/// <remarks>
/// Physical time comes from the injected <see cref="TimeProvider"/>. If the clock stands still or
/// goes back, the logical counter keeps counting; when it would overflow its 18 bits the physical
/// part moves one millisecond ahead of the clock. Invariant: every issued physical value is below
/// the saved high-water mark, which is moved <see cref="SaveWindow"/> ahead of use (one storage write
/// per window, PD's tso save interval); a new oracle over the same store starts at or above that mark.
/// </remarks>
public sealed class TimestampOracle
{
    /// <summary>The storage key of the physical high-water mark, in Unix milliseconds.</summary>
    public const string StorageKey = "tso";

    private readonly IHighWaterMarkStore _store;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long _physical;
    private long _logical;
    private long _savedUntil;

    public TimestampOracle(IHighWaterMarkStore store, TimeProvider clock, TimeSpan? saveWindow = null)
    {
        _store = store;
        _clock = clock;
        SaveWindow = saveWindow ?? TimeSpan.FromSeconds(3);
        ArgumentOutOfRangeException.ThrowIfLessThan(SaveWindow, TimeSpan.FromMilliseconds(1));
        _savedUntil = store.TryLoad(StorageKey, out long mark) ? mark : 0;
        _physical = _savedUntil;
        _logical = -1;
    }

    public TimeSpan SaveWindow { get; }

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive timestamps sharing one physical part and
    /// returns the last; the batch is [last − count + 1, last] (PD's Tso(count)).
    /// </summary>
    public Timestamp GetTimestamp(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, (int)Timestamp.MaxLogical);
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            if (now > _physical)
            {
                _physical = now;
                _logical = -1;
            }

            if (_logical + count >= Timestamp.MaxLogical)
            {
                _physical++;
                _logical = -1;
            }

            if (_physical >= _savedUntil)
            {
                long mark = _physical + (long)SaveWindow.TotalMilliseconds;
                _store.Save(StorageKey, mark);
                _savedUntil = mark;
            }

            _logical += count;
            return new Timestamp(_physical, _logical);
        }
    }
}
