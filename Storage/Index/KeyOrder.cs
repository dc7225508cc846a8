using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyKv.Storage.Index;

/// <summary>
/// The byte order of keys (unsigned lexicographic, a shorter prefix first), compared eight bytes at
/// a time: the index compares short keys (16–40 bytes) tens of times per insert or seek, where the
/// general vectorized comparison spends more on its setup than on the bytes.
/// </summary>
internal static class KeyOrder
{
    /// <summary>Negative, zero or positive as <paramref name="x"/> sorts before, with or after <paramref name="y"/>; the sign of <see cref="MemoryExtensions.SequenceCompareTo{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compare(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return x.SequenceCompareTo(y);
        }

        int common = Math.Min(x.Length, y.Length);
        ref byte rx = ref MemoryMarshal.GetReference(x);
        ref byte ry = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i + sizeof(ulong) <= common; i += sizeof(ulong))
        {
            ulong a = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rx, i));
            ulong b = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref ry, i));
            if (a != b)
            {
                return BinaryPrimitives.ReverseEndianness(a) < BinaryPrimitives.ReverseEndianness(b) ? -1 : 1;
            }
        }

        for (; i < common; i++)
        {
            int difference = Unsafe.Add(ref rx, i) - Unsafe.Add(ref ry, i);
            if (difference != 0)
            {
                return difference;
            }
        }

        return x.Length - y.Length;
    }
}
