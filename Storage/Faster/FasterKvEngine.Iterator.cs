using TinyKv.Storage.Index;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    /// <summary>
    /// Walks one column family's index at a snapshot's sequence, skipping keys whose visible
    /// version is a tombstone or missing. Backward steps search the skip list again (O(log n)),
    /// as RocksDB's memtable iterator does. Values are read on first access.
    /// </summary>
    private sealed class FasterIterator(FasterSnapshot snapshot, IOrderedIndex index, ulong sequence, IteratorOptions options) : IKvIterator
    {
        private readonly byte[]? _lower = options.LowerBound;
        private readonly byte[]? _upper = options.UpperBound is { Length: > 0 } upper ? upper : null;
        private MvccEntry? _entry;
        private MvccVersion? _version;
        private byte[]? _value;
        private bool _disposed;

        public bool Valid => !_disposed && _entry is not null;

        public ReadOnlySpan<byte> Key => Current.Key;

        public ReadOnlySpan<byte> Value
        {
            get
            {
                _ = Current;
                return _version!.IsInline ? _version.InlineValue : _value ??= snapshot.Engine._values.Get(_version.ValueId, _version.Length);
            }
        }

        private MvccEntry Current
        {
            get
            {
                ThrowIfDisposed();
                return _entry ?? throw new InvalidOperationException("iterator is not valid");
            }
        }

        public void Seek(ReadOnlySpan<byte> key)
        {
            ThrowIfDisposed();
            if (_lower is not null && KeyOrder.Compare(key, _lower) < 0)
            {
                key = _lower;
            }

            Forward(index.SeekGreaterOrEqual(key));
        }

        public void SeekForPrev(ReadOnlySpan<byte> key)
        {
            ThrowIfDisposed();
            if (_upper is not null && KeyOrder.Compare(key, _upper) >= 0)
            {
                Backward(index.SeekLessThan(_upper));
                return;
            }

            var at = index.SeekGreaterOrEqual(key);
            Backward(at is not null && at.Key.SequenceEqual(key) ? at : index.SeekLessThan(key));
        }

        public void SeekToFirst()
        {
            ThrowIfDisposed();
            Forward(_lower is null ? index.First() : index.SeekGreaterOrEqual(_lower));
        }

        public void SeekToLast()
        {
            ThrowIfDisposed();
            Backward(_upper is null ? index.Last() : index.SeekLessThan(_upper));
        }

        public void Next() => Forward(index.Next(Current));

        public void Prev() => Backward(index.SeekLessThan(Current.Key));

        public void Dispose() => _disposed = true;

        private void Forward(MvccEntry? entry)
        {
            for (; entry is not null; entry = index.Next(entry))
            {
                if (_upper is not null && KeyOrder.Compare(entry.Key, _upper) >= 0)
                {
                    break;
                }

                if (TryLand(entry))
                {
                    return;
                }
            }

            Land(null, null);
        }

        private void Backward(MvccEntry? entry)
        {
            for (; entry is not null; entry = index.SeekLessThan(entry.Key))
            {
                if (_lower is not null && KeyOrder.Compare(entry.Key, _lower) < 0)
                {
                    break;
                }

                if (TryLand(entry))
                {
                    return;
                }
            }

            Land(null, null);
        }

        private bool TryLand(MvccEntry entry)
        {
            var version = entry.Visible(sequence);
            if (version is null || version.IsTombstone)
            {
                return false;
            }

            Land(entry, version);
            return true;
        }

        private void Land(MvccEntry? entry, MvccVersion? version)
        {
            _entry = entry;
            _version = version;
            _value = null;
        }

        private void ThrowIfDisposed()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            snapshot.ThrowIfDisposed();
        }
    }
}
