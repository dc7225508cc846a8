using Google.Protobuf;
using TinyKv.Grains.Interfaces;
using TinyKv.Grains.Interfaces.Kvrpcpb;
using TinyKv.Storage;

namespace TinyKv.Grains;

/// <summary>Request validation of the raw API: the stable error for bad input, or null.</summary>
internal static class RawKvErrors
{
    public static Error Of(ErrorCode code, string message) => new() { Code = code, Message = message };

    public static Error StoreNotReady(long storeId) => Of(ErrorCode.StoreNotReady, $"store {storeId} is not ready");

    /// <summary>Parses a raw API column family: default, lock or write (meta is the store's own).</summary>
    public static Error? ParseCf(string cf, out ColumnFamily parsed)
    {
        if (ColumnFamilies.TryParse(cf, out parsed) && parsed != ColumnFamily.Meta)
        {
            return null;
        }

        return Of(ErrorCode.UnknownColumnFamily, $"unknown column family '{cf}'; use default, lock or write");
    }

    public static Error? CheckKey(ByteString key) =>
        key.Length > RawKvLimits.MaxKeySize
            ? Of(ErrorCode.KeyTooLarge, $"key of {key.Length} bytes exceeds the limit of {RawKvLimits.MaxKeySize} bytes")
            : null;

    public static Error? CheckValue(ByteString value) =>
        value.Length > RawKvLimits.MaxValueSize
            ? Of(ErrorCode.ValueTooLarge, $"value of {value.Length} bytes exceeds the limit of {RawKvLimits.MaxValueSize} bytes")
            : null;

    public static Error? CheckCount(int count) =>
        count > RawKvLimits.MaxBatchCount
            ? Of(ErrorCode.InvalidArgument, $"a batch of {count} exceeds the limit of {RawKvLimits.MaxBatchCount}")
            : null;
}
