using System.Security.Cryptography;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Call chain ids: a random per-process prefix plus a counter, unique across the cluster and
/// cheaper than Guid.NewGuid on the call path. Each thread takes counter values in blocks, so a
/// call touches the shared counter once per block, not once per call.
/// </summary>
internal static class CallChainId
{
    private const long BlockSize = 1024;

    private static readonly long Prefix = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    private static long _counter;

    [ThreadStatic]
    private static long _next;

    [ThreadStatic]
    private static long _blockEnd;

    public static Guid New()
    {
        if (_next == _blockEnd)
        {
            _blockEnd = Interlocked.Add(ref _counter, BlockSize);
            _next = _blockEnd - BlockSize;
        }

        long n = ++_next;
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Prefix);
        BitConverter.TryWriteBytes(bytes[8..], n);
        return new Guid(bytes);
    }
}
