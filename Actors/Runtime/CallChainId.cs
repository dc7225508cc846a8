using System.Security.Cryptography;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Call chain ids: a random per-process prefix plus a counter, unique across the cluster and
/// cheaper than Guid.NewGuid on the call path.
/// </summary>
internal static class CallChainId
{
    private static readonly long Prefix = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    private static long _counter;

    public static Guid New()
    {
        long n = Interlocked.Increment(ref _counter);
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Prefix);
        BitConverter.TryWriteBytes(bytes[8..], n);
        return new Guid(bytes);
    }
}
