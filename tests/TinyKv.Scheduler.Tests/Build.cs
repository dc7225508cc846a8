using System.Buffers.Binary;
using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Tests;

/// <summary>Short builders for regions and keys in tests.</summary>
internal static class Build
{
    public static byte[] Key(string s) => System.Text.Encoding.ASCII.GetBytes(s);

    public static byte[] Key(params byte[] bytes) => bytes;

    /// <summary>A 4-byte big-endian key for numeric key spaces; 0 is the empty key (minus infinity).</summary>
    public static byte[] NumKey(ulong value)
    {
        if (value == 0)
        {
            return [];
        }

        var key = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(key, (uint)value);
        return key;
    }

    /// <summary>A region with the first peer as leader.</summary>
    public static RegionInfo Region(ulong id, byte[] start, byte[] end, RegionEpoch epoch, params Peer[] peers) => new()
    {
        Id = id,
        StartKey = start,
        EndKey = end,
        Epoch = epoch,
        Peers = [.. peers],
        Leader = peers.Length == 0 ? null : peers[0],
        ApproximateSize = 10,
    };
}
