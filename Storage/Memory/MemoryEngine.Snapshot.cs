using System.Collections.Immutable;

namespace TinyKv.Storage.Memory;

public sealed partial class MemoryEngine
{
    /// <summary>A snapshot is the immutable maps of one <see cref="State"/>.</summary>
    private sealed class MemorySnapshot(State state) : IKvSnapshot
    {
        private bool _disposed;

        public ulong Sequence => state.Sequence;

        public byte[]? Get(ColumnFamily cf, ReadOnlySpan<byte> key)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return state.Cfs[(int)cf].TryGetValue(key.ToArray(), out var value) ? value : null;
        }

        public IKvIterator NewIterator(ColumnFamily cf, IteratorOptions options = default)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            byte[] lower = options.LowerBound ?? [];
            byte[] upper = options.UpperBound ?? [];
            var entries = state.Cfs[(int)cf].Where(kv => InRange(kv.Key, lower, upper)).ToImmutableArray();
            return new MemoryIterator(entries);
        }

        public void Dispose() => _disposed = true;
    }

    /// <summary>An iterator over a materialized, sorted array of the entries inside the bounds.</summary>
    private sealed class MemoryIterator(ImmutableArray<KeyValuePair<byte[], byte[]>> entries) : IKvIterator
    {
        private int _position = -1;
        private bool _disposed;

        public bool Valid => !_disposed && _position >= 0 && _position < entries.Length;

        public ReadOnlySpan<byte> Key => Current.Key;

        public ReadOnlySpan<byte> Value => Current.Value;

        private KeyValuePair<byte[], byte[]> Current =>
            Valid ? entries[_position] : throw new InvalidOperationException("iterator is not valid");

        public void Seek(ReadOnlySpan<byte> key) => _position = LowerBound(key);

        public void SeekForPrev(ReadOnlySpan<byte> key)
        {
            int i = LowerBound(key);
            _position = i < entries.Length && entries[i].Key.AsSpan().SequenceEqual(key) ? i : i - 1;
        }

        public void SeekToFirst()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _position = 0;
        }

        public void SeekToLast()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _position = entries.Length - 1;
        }

        public void Next()
        {
            EnsureValid();
            _position++;
        }

        public void Prev()
        {
            EnsureValid();
            _position--;
        }

        public void Dispose() => _disposed = true;

        private void EnsureValid()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!Valid)
            {
                throw new InvalidOperationException("iterator is not valid");
            }
        }

        /// <summary>Index of the first entry ≥ <paramref name="key"/>.</summary>
        private int LowerBound(ReadOnlySpan<byte> key)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int lo = 0, hi = entries.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (entries[mid].Key.AsSpan().SequenceCompareTo(key) < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
