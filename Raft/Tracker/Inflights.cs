namespace TinyKv.Raft.Tracker;

/// <summary>
/// The flow-control window of one follower: the last indexes of appends sent but not yet
/// acknowledged, as a ring buffer of at most <see cref="Capacity"/> messages.
/// </summary>
/// <remarks>Invariant: the indexes are increasing from the oldest to the newest.</remarks>
public sealed class Inflights
{
    private readonly ulong[] _buffer;
    private int _start;

    public Inflights(int capacity)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "inflight window must hold at least one message");
        }

        _buffer = new ulong[capacity];
    }

    public int Capacity => _buffer.Length;

    public int Count { get; private set; }

    public bool Full => Count == _buffer.Length;

    /// <summary>Records an append whose last entry is <paramref name="index"/>.</summary>
    public void Add(ulong index)
    {
        if (Full)
        {
            throw new RaftInvariantException("inflights-not-full-on-add", $"cannot add index {index} to a full window of {Capacity}");
        }

        int next = _start + Count;
        if (next >= _buffer.Length)
        {
            next -= _buffer.Length;
        }

        _buffer[next] = index;
        Count++;
    }

    /// <summary>Frees every inflight append with last index &lt;= <paramref name="to"/> (they were acknowledged).</summary>
    public void FreeLE(ulong to)
    {
        if (Count == 0 || to < _buffer[_start])
        {
            return;
        }

        int i = 0;
        int idx = _start;
        for (; i < Count; i++)
        {
            if (to < _buffer[idx])
            {
                break;
            }

            if (++idx >= _buffer.Length)
            {
                idx -= _buffer.Length;
            }
        }

        Count -= i;
        _start = Count == 0 ? 0 : idx;
    }

    /// <summary>Frees the oldest inflight append (a heartbeat response proves the follower is alive).</summary>
    public void FreeFirstOne()
    {
        if (Count > 0)
        {
            FreeLE(_buffer[_start]);
        }
    }

    public void Reset()
    {
        Count = 0;
        _start = 0;
    }
}
