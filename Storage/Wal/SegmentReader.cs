using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace TinyKv.Storage.Wal;

/// <summary>
/// Reads a segment file forward through one reused window, so recovery reads only up to the end
/// of the valid records (a preallocated segment is mostly zeros) and allocates no buffer the size
/// of the file.
/// </summary>
internal sealed class SegmentReader : IDisposable
{
    private const int WindowSize = 1 << 20;
    private readonly SafeFileHandle _handle;
    private byte[] _window = new byte[WindowSize];
    private long _windowOffset;
    private int _windowLength;

    public SegmentReader(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
        Length = RandomAccess.GetLength(_handle);
    }

    /// <summary>Length of the file in bytes.</summary>
    public long Length { get; }

    /// <summary>
    /// The <paramref name="count"/> bytes at <paramref name="offset"/>, valid until the next call;
    /// false when the file ends before them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(long offset, int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (offset + count > Length)
        {
            return false;
        }

        if (offset < _windowOffset || offset + count > _windowOffset + _windowLength)
        {
            Fill(offset, count);
        }

        bytes = new ReadOnlySpan<byte>(_window, (int)(offset - _windowOffset), count);
        return true;
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>Loads the window from <paramref name="offset"/>, growing it when one read is larger.</summary>
    private void Fill(long offset, int count)
    {
        if (count > _window.Length)
        {
            _window = new byte[count];
        }

        int want = (int)Math.Min(_window.Length, Length - offset);
        int read = 0;
        while (read < want)
        {
            int n = RandomAccess.Read(_handle, _window.AsSpan(read, want - read), offset + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _windowOffset = offset;
        _windowLength = read;
        if (read < count)
        {
            throw new IOException($"the file ended while reading {count} bytes at offset {offset}");
        }
    }
}
