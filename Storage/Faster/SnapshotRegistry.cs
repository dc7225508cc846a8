namespace TinyKv.Storage.Faster;

/// <summary>
/// The sequence numbers of live snapshots, so reclamation keeps every version one of them needs.
/// </summary>
/// <remarks>
/// Invariant: <see cref="Acquire"/> reads the visible sequence and registers it under the same
/// lock <see cref="OldestNeeded"/> takes, so no snapshot can appear with a sequence below a
/// minimum that reclamation has already acted on.
/// </remarks>
internal sealed class SnapshotRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, int> _live = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _live.Values.Sum();
            }
        }
    }

    /// <summary>Registers a snapshot at the sequence <paramref name="visible"/> returns, and returns it.</summary>
    public ulong Acquire(Func<ulong> visible)
    {
        lock (_lock)
        {
            ulong sequence = visible();
            _live[sequence] = _live.GetValueOrDefault(sequence) + 1;
            return sequence;
        }
    }

    public void Release(ulong sequence)
    {
        lock (_lock)
        {
            int count = _live[sequence] - 1;
            if (count == 0)
            {
                _live.Remove(sequence);
            }
            else
            {
                _live[sequence] = count;
            }
        }
    }

    /// <summary>The oldest sequence any reader may still read at: the oldest live snapshot, or <paramref name="visible"/>.</summary>
    public ulong OldestNeeded(ulong visible)
    {
        lock (_lock)
        {
            ulong oldest = visible;
            foreach (ulong sequence in _live.Keys)
            {
                oldest = Math.Min(oldest, sequence);
            }

            return oldest;
        }
    }
}
