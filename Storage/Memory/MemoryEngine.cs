using System.Collections.Immutable;

namespace TinyKv.Storage.Memory;

/// <summary>
/// The reference engine: simple and obviously right, not fast. Every column family is an
/// immutable sorted map; a write batch builds new maps under a lock and publishes them at once,
/// so a snapshot is just the maps it captured. Nothing is persisted: a "crash" loses everything,
/// which trivially satisfies the prefix property.
/// </summary>
public sealed partial class MemoryEngine : IKvEngine
{
    private static readonly ImmutableSortedDictionary<byte[], byte[]> EmptyCf =
        ImmutableSortedDictionary.Create<byte[], byte[]>(ByteArrayComparer.Instance);

    private readonly Lock _writeLock = new();
    private volatile State _state = new(0, [.. ColumnFamilies.All.Select(_ => EmptyCf)]);
    private bool _disposed;

    /// <inheritdoc />
    public ValueTask WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            var cfs = _state.Cfs.Select(m => m.ToBuilder()).ToArray();
            foreach (var op in batch.Operations)
            {
                var cf = cfs[(int)op.Cf];
                switch (op.Kind)
                {
                    case WriteOpKind.Put:
                        cf[op.Key] = op.Value;
                        break;
                    case WriteOpKind.Delete:
                        cf.Remove(op.Key);
                        break;
                    case WriteOpKind.DeleteRange:
                        var doomed = cf.Keys.Where(k => InRange(k, op.Key, op.EndKey)).ToList();
                        cf.RemoveRange(doomed);
                        break;
                    default:
                        throw new InvalidOperationException($"unknown write op kind {op.Kind}");
                }
            }

            _state = new State(_state.Sequence + 1, [.. cfs.Select(b => b.ToImmutable())]);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IKvSnapshot Snapshot()
    {
        ThrowIfDisposed();
        return new MemorySnapshot(_state);
    }

    /// <inheritdoc />
    public long ApproximateSize(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        ThrowIfDisposed();
        long size = 0;
        byte[] start = startKey.ToArray();
        byte[] end = endKey.ToArray();
        foreach (var cf in ColumnFamilies.Data)
        {
            foreach (var (k, v) in _state.Cfs[(int)cf])
            {
                if (InRange(k, start, end))
                {
                    size += k.Length + v.Length;
                }
            }
        }

        return size;
    }

    /// <inheritdoc />
    public byte[]? SplitKey(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        ThrowIfDisposed();
        byte[] start = startKey.ToArray();
        byte[] end = endKey.ToArray();
        var entries = ColumnFamilies.Data
            .SelectMany(cf => _state.Cfs[(int)cf])
            .Where(kv => InRange(kv.Key, start, end))
            .OrderBy(kv => kv.Key, ByteArrayComparer.Instance)
            .ToList();
        long total = entries.Sum(kv => (long)kv.Key.Length + kv.Value.Length);
        long half = 0;
        foreach (var (k, v) in entries)
        {
            half += k.Length + v.Length;
            if (half * 2 >= total)
            {
                return ByteArrayComparer.Instance.Compare(k, start) > 0 ? k : null;
            }
        }

        return null;
    }

    public void Dispose() => _disposed = true;

    /// <summary>True when <paramref name="key"/> is in [start, end); an empty end is unbounded.</summary>
    internal static bool InRange(ReadOnlySpan<byte> key, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) =>
        key.SequenceCompareTo(start) >= 0 && (end.IsEmpty || key.SequenceCompareTo(end) < 0);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>An immutable version of the whole engine.</summary>
    private sealed record State(ulong Sequence, ImmutableArray<ImmutableSortedDictionary<byte[], byte[]>> Cfs);
}
