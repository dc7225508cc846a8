using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TinyKv.Bench.Storage;

/// <summary>
/// The baselines' file: preallocated like the engine's WAL segments, appended with pwrite and
/// made durable with fdatasync. Written here, not borrowed from the engine, so the baseline is
/// what a plain program would do.
/// </summary>
internal sealed class RawFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly long _capacity;
    private long _offset;

    public RawFile(string path, long capacity)
    {
        _capacity = capacity;
        _handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.None, capacity);

        // .NET preallocates with FALLOC_FL_KEEP_SIZE: without setting the length, every append would
        // grow the file and make each fdatasync journal a size change (about 10x slower here).
        RandomAccess.SetLength(_handle, capacity);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_offset + data.Length > _capacity)
        {
            _offset = 0;
        }

        RandomAccess.Write(_handle, data, _offset);
        _offset += data.Length;
    }

    public void DataSync()
    {
        if (fdatasync((int)_handle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fdatasync failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose() => _handle.Dispose();

    // DllImport rather than LibraryImport: the bench project does not allow unsafe code.
#pragma warning disable SYSLIB1054
    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int fd);
#pragma warning restore SYSLIB1054
}
