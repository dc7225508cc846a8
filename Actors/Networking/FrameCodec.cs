using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace TinyKv.Actors.Networking;

/// <summary>
/// The frame format, defined here only: a 4-byte little-endian payload length, then the payload
/// (one protobuf message: handshake messages first, then Envelopes). A length above the maximum,
/// or negative, is a protocol violation.
/// </summary>
internal static class FrameCodec
{
    public const int HeaderSize = 4;

    /// <summary>Appends one frame to <paramref name="output"/> without flushing; returns the bytes written.</summary>
    public static int Write(PipeWriter output, IMessage message) => Write(output, message, message.CalculateSize());

    /// <summary>As <see cref="Write(PipeWriter, IMessage)"/>, with the payload size already computed by the caller.</summary>
    public static int Write(PipeWriter output, IMessage message, int size)
    {
        var span = output.GetSpan(HeaderSize + size);
        BinaryPrimitives.WriteInt32LittleEndian(span, size);
        message.WriteTo(span.Slice(HeaderSize, size));
        output.Advance(HeaderSize + size);
        return HeaderSize + size;
    }

    /// <summary>Takes one whole frame off the front of <paramref name="buffer"/> when there is one.</summary>
    public static FrameStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out ReadOnlySequence<byte> payload, out int length)
    {
        payload = default;
        length = 0;
        if (buffer.Length < HeaderSize)
        {
            return FrameStatus.NeedMore;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0 || length > maxFrameSize)
        {
            return FrameStatus.TooLarge;
        }

        if (buffer.Length < HeaderSize + length)
        {
            return FrameStatus.NeedMore;
        }

        payload = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(HeaderSize + length);
        return FrameStatus.Frame;
    }

    /// <summary>Reads exactly one frame and parses it (the handshake); null when the peer closed first.</summary>
    public static async ValueTask<T?> ReadOneAsync<T>(PipeReader input, MessageParser<T> parser, int maxFrameSize, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = TryRead(ref buffer, maxFrameSize, out var payload, out int length);
            if (status == FrameStatus.TooLarge)
            {
                input.AdvanceTo(buffer.Start);
                throw new InvalidDataException($"handshake frame of {length} bytes exceeds {maxFrameSize}");
            }

            if (status == FrameStatus.Frame)
            {
                T message = parser.ParseFrom(payload);
                input.AdvanceTo(buffer.Start);
                return message;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }
}

internal enum FrameStatus
{
    NeedMore,
    Frame,
    TooLarge,
}
