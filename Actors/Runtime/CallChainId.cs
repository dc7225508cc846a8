using System.Security.Cryptography;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Call chain ids: a random per-process prefix plus a counter, unique across the cluster and
/// cheaper than Guid.NewGuid on the call path. Each thread takes counter values in blocks
/// (<see cref="BlockCounter"/>), so a call touches the shared counter once per block, not once per call.
/// </summary>
internal static class CallChainId
{
    private static readonly long Prefix = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    private static readonly BlockCounter Counter = new(blockSize: 1024);

    public static Guid New()
    {
        ulong n = Counter.Next();
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Prefix);
        BitConverter.TryWriteBytes(bytes[8..], n);
        return new Guid(bytes);
    }
}
