using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using TinyKv.Actors.Networking;
using TinyKv.Actors.Wire;
using TinyKv.TestKit;

namespace TinyKv.Actors.Tests.Network;

/// <summary>The frame format round-trips whatever way the bytes are cut into reads.</summary>
public sealed class FrameCodecTests
{
    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task FramesRoundTripAcrossArbitraryReadBoundaries(int seed)
    {
        var random = new Random(seed);
        var envelopes = Enumerable.Range(0, random.Next(1, 40)).Select(i => new Envelope
        {
            Version = 1,
            Id = (ulong)i,
            Kind = EnvelopeKind.Request,
            Sender = new SiloAddressProto { Host = "127.0.0.1", Port = 1, Generation = 2 },
            InterfaceType = new string('i', random.Next(0, 300)),
            Arguments = { new Value { Data = ByteString.CopyFrom(RandomBytes(random, random.Next(0, 5000))) } },
        }).ToList();
        var written = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        foreach (var envelope in envelopes)
        {
            FrameCodec.Write(written.Writer, envelope);
        }

        await written.Writer.FlushAsync();
        await written.Writer.CompleteAsync();
        var all = (await written.Reader.ReadAsync()).Buffer.ToArray();

        var parsed = new List<Envelope>();
        var buffer = new ReadOnlySequence<byte>();
        byte[] pending = [];
        for (int offset = 0; offset < all.Length;)
        {
            int take = Math.Min(all.Length - offset, random.Next(1, 700));
            pending = [.. pending, .. all.AsSpan(offset, take)];
            offset += take;
            buffer = new ReadOnlySequence<byte>(pending);
            while (FrameCodec.TryRead(ref buffer, 1 << 20, out var payload, out _) == FrameStatus.Frame)
            {
                parsed.Add(Envelope.Parser.ParseFrom(payload));
            }

            pending = buffer.ToArray();
        }

        Assert.True(pending.Length == 0, TestSeed.Replay(seed));
        Assert.Equal(envelopes, parsed);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1025)]
    [InlineData(int.MaxValue)]
    public void ALengthOutsideTheLimitIsTooLarge(int length)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.TooLarge, FrameCodec.TryRead(ref buffer, 1024, out _, out int read));
        Assert.Equal(length, read);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
