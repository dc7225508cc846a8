using System.Runtime.CompilerServices;
using TinyKv.Storage.Index;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    /// <summary>Entries that gained a version at a sequence: once no reader needs what is older, their chains are trimmed.</summary>
    private readonly Queue<(ColumnFamily Cf, MvccEntry Entry, ulong Sequence)> _reclaimQueue = new();
    private int _pendingReclamationCount;

    /// <summary>Where entries created while the log replays keep their bytes (README, "Memory model"); null once open.</summary>
    private EntryArena? _replayArena;

    private void ApplyBatch(ulong sequence, WriteBatch batch)
    {
        foreach (ref readonly var op in batch.OperationSpan)
        {
            ApplyOp(sequence, op.Kind, op.Cf, op.Key, op.Value);
        }
    }

    /// <summary>Applies one operation at <paramref name="sequence"/>. Writer thread (or recovery) only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyOp(ulong sequence, WriteOpKind kind, ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var index = Index(cf);
        switch (kind)
        {
            case WriteOpKind.Put:
                if (index.Find(key) is { } existing)
                {
                    Prepend(cf, existing, sequence, value, tombstone: false);
                }
                else
                {
                    index.Add(value.Length <= _options.ValueThreshold
                        ? MvccEntry.Inline(key, sequence, value, _replayArena)
                        : MvccEntry.Stored(key, sequence, StoreValue(value), value.Length, _replayArena));
                }

                break;
            case WriteOpKind.Delete:
                if (index.Find(key) is { Head.IsTombstone: false } entry)
                {
                    Prepend(cf, entry, sequence, default, tombstone: true);
                }

                break;
            case WriteOpKind.DeleteRange:
                for (var e = index.SeekGreaterOrEqual(key); e is not null; e = index.Next(e))
                {
                    if (!value.IsEmpty && e.Key.SequenceCompareTo(value) >= 0)
                    {
                        break;
                    }

                    if (!e.Head.IsTombstone)
                    {
                        Prepend(cf, e, sequence, default, tombstone: true);
                    }
                }

                break;
            default:
                throw new InvalidDataException($"unknown write op kind {kind}");
        }
    }

    /// <summary>
    /// Makes a new version the head of <paramref name="entry"/>'s chain. A version of the same
    /// sequence (an earlier op of the same batch) is replaced outright: no reader can see it yet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Prepend(ColumnFamily cf, MvccEntry entry, ulong sequence, ReadOnlySpan<byte> value, bool tombstone)
    {
        var head = entry.Head;
        var older = head;
        if (head.Sequence == sequence)
        {
            older = head.Older;
            ReleaseValue(head);
        }

        var version = tombstone ? MvccVersion.Tombstone(sequence, older)
            : value.Length <= _options.ValueThreshold ? MvccVersion.Inline(sequence, value, older)
            : MvccVersion.Stored(sequence, StoreValue(value), value.Length, older);
        entry.Head = version;
        if (older is not null || tombstone)
        {
            _reclaimQueue.Enqueue((cf, entry, sequence));
            _pendingReclamationCount = _reclaimQueue.Count;
        }
    }

    /// <summary>Puts a value above the inline threshold into the value store under a new id.</summary>
    private long StoreValue(ReadOnlySpan<byte> value)
    {
        long id = ++_nextValueId;
        _values.Put(id, value);
        return id;
    }

    /// <summary>Below this many bytes the value store's log is never compacted (twice its memory).</summary>
    private long ValueLogFloor => 1L << (_options.ValueMemorySizeBits + 1);

    /// <summary>
    /// Trims every queued chain down to the newest version the oldest live snapshot can see, and
    /// unlinks keys whose only remaining version is a tombstone nobody can see past.
    /// </summary>
    private void Reclaim()
    {
        if (_reclaimQueue.Count == 0)
        {
            return;
        }

        ulong oldest = _snapshots.OldestNeeded(_lastSequence);
        while (_reclaimQueue.TryPeek(out var item) && item.Sequence <= oldest)
        {
            _reclaimQueue.Dequeue();
            Trim(item.Cf, item.Entry, oldest);
        }

        _pendingReclamationCount = _reclaimQueue.Count;
    }

    private void Trim(ColumnFamily cf, MvccEntry entry, ulong oldest)
    {
        MvccVersion? newer = null;
        MvccVersion? kept = entry.Head;
        while (kept is not null && kept.Sequence > oldest)
        {
            newer = kept;
            kept = kept.Older;
        }

        if (kept is null)
        {
            return;
        }

        if (kept.IsTombstone)
        {
            if (newer is null)
            {
                Index(cf).Remove(entry);
            }
            else
            {
                newer.Older = null;
            }

            ReleaseChain(kept.Older);
            return;
        }

        var cut = kept.Older;
        kept.Older = null;
        ReleaseChain(cut);
    }

    private void ReleaseChain(MvccVersion? version)
    {
        for (; version is not null; version = version.Older)
        {
            ReleaseValue(version);
        }
    }

    private void ReleaseValue(MvccVersion version)
    {
        if (version.ValueId >= 0)
        {
            _values.Delete(version.ValueId, version.Length);
        }
    }
}
