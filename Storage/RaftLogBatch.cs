namespace TinyKv.Storage;

/// <summary>The kinds of operation a <see cref="RaftLogBatch"/> carries. Values are part of the on-disk format.</summary>
public enum RaftLogOpKind : byte
{
    /// <summary>Appends entries, first overwriting every entry at or after the first new index.</summary>
    Append = 1,

    /// <summary>Saves the region's <see cref="RaftState"/>.</summary>
    SetState = 2,

    /// <summary>Drops every entry with an index below <see cref="RaftLogOp.Index"/>.</summary>
    Compact = 3,

    /// <summary>Forgets the region: entries and state (the peer was destroyed).</summary>
    Clean = 4,
}

/// <summary>One operation of a <see cref="RaftLogBatch"/>.</summary>
public readonly record struct RaftLogOp(RaftLogOpKind Kind, ulong RegionId, IReadOnlyList<RaftEntry> Entries, RaftState State, ulong Index);

/// <summary>
/// Raft-log writes for any number of regions, applied atomically by
/// <see cref="IRaftLogEngine.WriteAsync"/> and made durable with one fsync when <see cref="Sync"/>
/// (TiKV raft-engine's LogBatch). Operations apply in the order added. Entries are copied.
/// </summary>
public sealed class RaftLogBatch
{
    private RaftLogOp[] _ops = [];
    private int _count;

    public bool Sync { get; set; }

    public IReadOnlyList<RaftLogOp> Operations => new ArraySegment<RaftLogOp>(_ops, 0, _count);

    public bool IsEmpty => _count == 0;

    /// <summary>The operations in order, without a view object (the engines' hot path).</summary>
    internal ReadOnlySpan<RaftLogOp> Ops => _ops.AsSpan(0, _count);

    /// <summary>Appends <paramref name="entries"/>: non-empty, with consecutive indexes from 1 up.</summary>
    public RaftLogBatch Append(ulong regionId, IReadOnlyList<RaftEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new ArgumentException("an append needs at least one entry", nameof(entries));
        }

        var copy = new RaftEntry[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Index == 0 || (i > 0 && e.Index != entries[i - 1].Index + 1))
            {
                throw new ArgumentException($"entry indexes must be consecutive and positive; found {e.Index} at position {i}", nameof(entries));
            }

            ArgumentNullException.ThrowIfNull(e.Data, nameof(entries));
            StorageLimits.CheckValue(e.Data);
            copy[i] = e with { Data = e.Data.AsSpan().ToArray() };
        }

        Add(new RaftLogOp(RaftLogOpKind.Append, regionId, copy, default, 0));
        return this;
    }

    public RaftLogBatch SetState(ulong regionId, RaftState state)
    {
        Add(new RaftLogOp(RaftLogOpKind.SetState, regionId, [], state, 0));
        return this;
    }

    /// <summary>Drops the entries of <paramref name="regionId"/> with an index below <paramref name="compactTo"/>.</summary>
    public RaftLogBatch Compact(ulong regionId, ulong compactTo)
    {
        Add(new RaftLogOp(RaftLogOpKind.Compact, regionId, [], default, compactTo));
        return this;
    }

    public RaftLogBatch Clean(ulong regionId)
    {
        Add(new RaftLogOp(RaftLogOpKind.Clean, regionId, [], default, 0));
        return this;
    }

    public void Clear()
    {
        _ops.AsSpan(0, _count).Clear();
        _count = 0;
        Sync = false;
    }

    /// <summary>Adds an operation; the array starts at one slot (most batches of a store round carry few operations) and doubles.</summary>
    private void Add(in RaftLogOp op)
    {
        if (_count == _ops.Length)
        {
            Array.Resize(ref _ops, Math.Max(1, 2 * _count));
        }

        _ops[_count++] = op;
    }
}
