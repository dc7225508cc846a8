namespace TinyKv.Storage.RaftLog;

/// <summary>
/// The in-memory raft logs of every region, shared by the memory and the durable raft-log
/// engines: batch validation, application and reads under one lock.
/// </summary>
internal sealed class RaftLogState
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<ulong, RegionLog> _regions = [];

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

    /// <summary>Null when <paramref name="batch"/> may apply, else why not.</summary>
    public string? Validate(RaftLogBatch batch)
    {
        lock (_lock)
        {
            var simulated = new Dictionary<ulong, (ulong First, ulong Count)>();
            foreach (var op in batch.Operations)
            {
                if (!simulated.TryGetValue(op.RegionId, out var log))
                {
                    log = _regions.TryGetValue(op.RegionId, out var r) ? (r.First, (ulong)r.Count) : (1UL, 0UL);
                }

                switch (op.Kind)
                {
                    case RaftLogOpKind.Append:
                        ulong start = op.Entries[0].Index;
                        ulong last = log.First + log.Count - 1;
                        if (log.Count > 0 && (start < log.First || start > last + 1))
                        {
                            return $"region {op.RegionId}: append at {start} is outside [{log.First}, {last + 1}]";
                        }

                        log = log.Count == 0 ? (start, (ulong)op.Entries.Count) : (log.First, start - log.First + (ulong)op.Entries.Count);
                        break;
                    case RaftLogOpKind.Compact when op.Index > log.First:
                        ulong drop = Math.Min(log.Count, op.Index - log.First);
                        log = log.Count - drop == 0 ? (Math.Max(op.Index, log.First + drop), 0UL) : (log.First + drop, log.Count - drop);
                        break;
                    case RaftLogOpKind.Clean:
                        log = (1UL, 0UL);
                        break;
                }

                simulated[op.RegionId] = log;
            }

            return null;
        }
    }

    /// <summary>Applies a batch that <see cref="Validate"/> accepted.</summary>
    public void Apply(RaftLogBatch batch)
    {
        lock (_lock)
        {
            foreach (var op in batch.Operations)
            {
                Apply(op);
            }
        }
    }

    public void Apply(in RaftLogOp op)
    {
        lock (_lock)
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
            return [.. _regions.Keys];
        }
    }

    /// <summary>Calls <paramref name="visit"/> with every region's log, in id order, under the lock.</summary>
    public void ForEach(Action<ulong, RegionLog> visit)
    {
        lock (_lock)
        {
            foreach (var (id, log) in _regions)
            {
                visit(id, log);
            }
        }
    }
}
