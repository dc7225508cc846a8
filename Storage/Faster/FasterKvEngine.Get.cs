using System.Runtime.CompilerServices;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    /// <inheritdoc />
    /// <remarks>
    /// Reads the latest visible version without registering a snapshot. The writer publishes the
    /// visible sequence before it reclaims, so a trim at oldest sequence S keeps the newest version
    /// at or below S: a reader at V = S loses nothing. A trim can only cut a version this read
    /// needs when the visible sequence moved past V meanwhile; then the walk ends without a
    /// version, and the read is retried at the newer sequence. A version found through the chain
    /// was never cut, so it is the newest at or below V. A value in the value store could be
    /// deleted by such a trim before it is read, so those reads pin a snapshot.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte[]? Get(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckCf(cf);
        while (true)
        {
            ulong sequence = Volatile.Read(ref _visibleSequence);
            var version = Index(cf).Find(key)?.Visible(sequence);
            if (version is { IsInline: true })
            {
                return version.InlineValue.ToArray();
            }

            if (version is not null)
            {
                return version.IsTombstone ? null : GetPinned(cf, key);
            }

            if (Volatile.Read(ref _visibleSequence) == sequence)
            {
                return null;
            }
        }
    }

    private byte[]? GetPinned(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        using var snapshot = Snapshot();
        return snapshot.Get(cf, key);
    }

    private static void CheckCf(ColumnFamily cf)
    {
        if ((uint)cf > (uint)ColumnFamily.Meta)
        {
            throw new ArgumentOutOfRangeException(nameof(cf), cf, "unknown column family");
        }
    }
}
