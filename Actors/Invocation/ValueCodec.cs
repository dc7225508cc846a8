using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Invocation;

/// <summary>
/// The wire form of one argument or result type: protobuf messages (their own encoding) and
/// primitives (fixed little-endian or UTF-8). Chosen once per declared type; an unsupported type
/// is refused when the grain interface is first used, not on a call.
/// </summary>
internal sealed class ValueCodec
{
    private static readonly ConcurrentDictionary<Type, ValueCodec> Cache = new();

    private readonly Func<object, ByteString> _write;
    private readonly Func<ByteString, object> _read;

    private ValueCodec(Type type, Func<object, ByteString> write, Func<ByteString, object> read)
    {
        Type = type;
        _write = write;
        _read = read;
    }

    public Type Type { get; }

    public static ValueCodec For(Type type) => Cache.GetOrAdd(type, Create);

    public Value Write(object? value) => value is null ? new Value { IsNull = true } : new Value { Data = _write(value) };

    public object? Read(Value? value) => value is null || value.IsNull ? null : _read(value.Data);

    private static ValueCodec Create(Type type)
    {
        if (typeof(IMessage).IsAssignableFrom(type))
        {
            var parser = (MessageParser)(type.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
                ?? throw new NotSupportedException($"Protobuf message type {type.FullName} has no static Parser."));
            return new ValueCodec(type, WriteMessage, b => parser.ParseFrom(b.Span));
        }

        if (type.IsEnum)
        {
            return new ValueCodec(type, v => Int64(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)), b => Enum.ToObject(type, ReadInt64(b)));
        }

        return type switch
        {
            _ when type == typeof(string) => new ValueCodec(type, v => ByteString.CopyFromUtf8((string)v), b => b.ToStringUtf8()),
            _ when type == typeof(bool) => new ValueCodec(type, v => Int64((bool)v ? 1 : 0), b => ReadInt64(b) != 0),
            _ when type == typeof(int) => new ValueCodec(type, v => Int64((int)v), b => (int)ReadInt64(b)),
            _ when type == typeof(uint) => new ValueCodec(type, v => Int64((uint)v), b => (uint)ReadInt64(b)),
            _ when type == typeof(long) => new ValueCodec(type, v => Int64((long)v), b => ReadInt64(b)),
            _ when type == typeof(ulong) => new ValueCodec(type, v => Int64(unchecked((long)(ulong)v)), b => unchecked((ulong)ReadInt64(b))),
            _ when type == typeof(double) => new ValueCodec(type, v => Int64(BitConverter.DoubleToInt64Bits((double)v)), b => BitConverter.Int64BitsToDouble(ReadInt64(b))),
            _ when type == typeof(float) => new ValueCodec(type, v => Int64(BitConverter.DoubleToInt64Bits((float)v)), b => (float)BitConverter.Int64BitsToDouble(ReadInt64(b))),
            _ when type == typeof(TimeSpan) => new ValueCodec(type, v => Int64(((TimeSpan)v).Ticks), b => TimeSpan.FromTicks(ReadInt64(b))),
            _ when type == typeof(DateTimeOffset) => new ValueCodec(type, v => Int64(((DateTimeOffset)v).UtcTicks), b => new DateTimeOffset(ReadInt64(b), TimeSpan.Zero)),
            _ when type == typeof(Guid) => new ValueCodec(type, v => ByteString.CopyFrom(((Guid)v).ToByteArray()), b => new Guid(b.Span)),
            _ when type == typeof(byte[]) => new ValueCodec(type, v => ByteString.CopyFrom((byte[])v), b => b.ToByteArray()),
            _ when type == typeof(ByteString) => new ValueCodec(type, v => (ByteString)v, b => b),
            _ when type == typeof(object) => new ValueCodec(type, v => throw Unsupported(v.GetType()), _ => throw Unsupported(type)),
            _ => throw Unsupported(type),
        };
    }

    private static NotSupportedException Unsupported(Type type) =>
        new($"Type {type.FullName} cannot cross the wire: grain arguments and results are protobuf messages or primitives (string, bool, int, uint, long, ulong, double, float, enums, TimeSpan, DateTimeOffset, Guid, byte[], ByteString).");

    /// <summary>
    /// The message's bytes, written straight into an array the ByteString then owns (no copy, and none
    /// of the coded stream that <c>ToByteString</c> allocates per call).
    /// </summary>
    private static ByteString WriteMessage(object value)
    {
        var message = (IMessage)value;
        var bytes = new byte[message.CalculateSize()];
        message.WriteTo(bytes.AsSpan());
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static ByteString Int64(long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        return ByteString.CopyFrom(buffer);
    }

    private static long ReadInt64(ByteString bytes) => bytes.Length == 8
        ? BinaryPrimitives.ReadInt64LittleEndian(bytes.Span)
        : throw new InvalidDataException($"Expected an 8-byte scalar, got {bytes.Length} bytes.");

    public override string ToString() => $"ValueCodec({Type.Name})";
}
