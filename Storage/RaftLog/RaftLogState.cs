namespace TinyKv.Storage.RaftLog;

/// <summary>
/// The in-memory raft logs of every region, shared by the memory and the durable raft-log
/// engines: batch validation, application and reads.
/// </summary>
/// <remarks>
/// One writer at a time validates and applies (the engine's writer thread, or the memory engine's
/// write lock); it mutates only under the lock, which readers take, so validation (which only
/// reads) needs no lock. Regions are kept in a hash map; the rare calls that list them sort.
/// </remarks>
internal sealed partial class RaftLogState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, RegionLog> _regions = [];

    /// <summary>Sum of retained entry sizes over all regions.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _regions.Values.Sum(r => r.Bytes);
            }
        }
    }

    /// <summary>Applies batches that <see cref="Validate"/> accepted, in order, under one lock.</summary>
    public void Apply(ReadOnlySpan<RaftLogBatch> batches)
    {
        lock (_lock)
        {
            foreach (var batch in batches)
            {
                foreach (ref readonly var op in batch.Ops)
                {
                    ApplyLocked(op);
                }
            }
        }
    }

    /// <summary>Applies a batch that <see cref="Validate"/> accepted.</summary>
    public void Apply(RaftLogBatch batch) => Apply([batch]);

    /// <summary>Applies one operation (recovery replays them one by one).</summary>
    public void Apply(in RaftLogOp op)
    {
        lock (_lock)
        {
            ApplyLocked(op);
        }
    }

    private void ApplyLocked(in RaftLogOp op)
    {
        if (op.Kind == RaftLogOpKind.Clean)
        {
            _regions.Remove(op.RegionId);
            return;
        }

        if (!_regions.TryGetValue(op.RegionId, out var log))
        {
            log = new RegionLog();
            _regions.Add(op.RegionId, log);
        }

        switch (op.Kind)
        {
            case RaftLogOpKind.Append:
                log.Append(op.Entries);
                break;
            case RaftLogOpKind.SetState:
                log.State = op.State;
                break;
            case RaftLogOpKind.Compact:
                log.Compact(op.Index);
                break;
            default:
                throw new InvalidDataException($"unknown raft log op {op.Kind}");
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _regions.Clear();
        }
    }

    public RaftEntry? GetEntry(ulong regionId, ulong index)
    {
        lock (_lock)
        {
            return _regions.TryGetValue(regionId, out var log) ? log.Get(index) : null;
        }
    }

    public RaftLogFetch FetchEntries(ulong regionId, ulong low, ulong high, long maxBytes, List<RaftEntry> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            ulong first = _regions.TryGetValue(regionId, out var log) ? log.First : 1;
            ulong last = log is null ? 0 : log.Last;
            if (low < first)
            {
                return RaftLogFetch.Compacted;
            }

            if (high > last + 1)
            {
                return RaftLogFetch.Unavailable;
            }

            long bytes = 0;
            for (ulong i = low; i < high; i++)
            {
                var entry = log!.Get(i)!.Value;
                bytes += entry.Size;
                if (bytes > maxBytes && i > low)
                {
                    break;
                }

                into.Add(entry);
            }

            return RaftLogFetch.Ok;
        }
    }

    public ulong FirstIndex(ulong regionId)
    {
        lock (_lock)
        {
            return _regions.TryGetValue(regionId, out var log) ? log.First : 1;
        }
    }

    public ulong LastIndex(ulong regionId)
    {
        lock (_lock)
        {
            return _regions.TryGetValue(regionId, out var log) ? log.Last : 0;
        }
    }

    public RaftState? GetState(ulong regionId)
    {
        lock (_lock)
        {
            return _regions.TryGetValue(regionId, out var log) ? log.State : null;
        }
    }

    public IReadOnlyList<ulong> Regions()
    {
        lock (_lock)
        {
            return [.. _regions.Keys.Order()];
        }
    }

    /// <summary>Calls <paramref name="visit"/> with every region's log, in id order, under the lock.</summary>
    public void ForEach(Action<ulong, RegionLog> visit)
    {
        lock (_lock)
        {
            foreach (ulong id in _regions.Keys.Order())
            {
                visit(id, _regions[id]);
            }
        }
    }
}
