using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TinyKv.Storage.Wal;

/// <summary>
/// Durability primitives the BCL lacks: fdatasync of a file (data plus the metadata needed to
/// read it back, not the timestamps) and fsync of a directory (so a new file's name survives).
/// </summary>
internal static partial class FileSync
{
    /// <summary>Makes every write to <paramref name="handle"/> durable.</summary>
    public static void DataSync(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"fdatasync failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        else
        {
            using var stream = new FileStream(handle, FileAccess.ReadWrite, 1);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Makes the entries of <paramref name="directory"/> (created, renamed, deleted files) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        int fd = open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"open({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
