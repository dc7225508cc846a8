using TinyKv.Storage.Index;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    private Func<ulong>? _readVisibleSequenceCache;

    /// <summary>Reads the visible sequence for <see cref="SnapshotRegistry.Acquire"/>; cached so a snapshot allocates no delegate.</summary>
    private Func<ulong> ReadVisibleSequence => _readVisibleSequenceCache ??= () => Volatile.Read(ref _visibleSequence);

    /// <inheritdoc />
    public IKvSnapshot Snapshot()
    {
        ThrowIfDisposed();
        ulong sequence = _snapshots.Acquire(ReadVisibleSequence);
        return new FasterSnapshot(this, sequence);
    }

    /// <summary>A pinned sequence number: reads see the newest version at or below it.</summary>
    private sealed class FasterSnapshot(FasterKvEngine engine, ulong sequence) : IKvSnapshot
    {
        private int _disposed;

        public ulong Sequence => sequence;

        internal FasterKvEngine Engine => engine;

        public byte[]? Get(ColumnFamily cf, ReadOnlySpan<byte> key) =>
            VisibleValue(cf, key) is { } version ? engine.ReadValue(version) : null;

        /// <summary>The version of <paramref name="key"/> this snapshot sees, or null when it sees none or a tombstone.</summary>
        internal MvccVersion? VisibleValue(ColumnFamily cf, ReadOnlySpan<byte> key)
        {
            ThrowIfDisposed();
            CheckCf(cf);
            var version = engine.Index(cf).Find(key)?.Visible(sequence);
            return version is { IsTombstone: true } ? null : version;
        }

        public IKvIterator NewIterator(ColumnFamily cf, IteratorOptions options = default)
        {
            ThrowIfDisposed();
            CheckCf(cf);
            return new FasterIterator(this, engine.Index(cf), sequence, options);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                engine._snapshots.Release(sequence);
            }
        }

        internal void ThrowIfDisposed()
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            engine.ThrowIfDisposed();
        }
    }
}
