using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using TinyKv.Actors.Invocation;
using TinyKv.Actors.Runtime;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

public sealed class WireTests
{
    public static TheoryData<System.Type, object?> Values() => new()
    {
        { typeof(string), "héllo" },
        { typeof(string), null },
        { typeof(int), -42 },
        { typeof(long), long.MinValue },
        { typeof(ulong), ulong.MaxValue },
        { typeof(bool), true },
        { typeof(double), 3.25 },
        { typeof(TimeSpan), TimeSpan.FromMilliseconds(1234) },
        { typeof(Guid), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e") },
        { typeof(byte[]), new byte[] { 1, 2, 3 } },
        { typeof(DeactivationReasonCode), DeactivationReasonCode.ActivationIdle },
        { typeof(Int64Value), new Int64Value { Value = 77 } },
        { typeof(ByteString), ByteString.CopyFromUtf8("raw") },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void ValuesRoundTripThroughTheirCodec(System.Type type, object? value)
    {
        var codec = ValueCodec.For(type);
        var back = codec.Read(Wire.Value.Parser.ParseFrom(codec.Write(value).ToByteArray()));
        Assert.Equal(value, back);
    }

    [Fact]
    public void UnsupportedTypesAreRefusedWhenTheInterfaceIsFirstUsed()
    {
        var error = Assert.Throws<NotSupportedException>(() => InterfaceDescriptor.For(typeof(IBadGrain)));
        Assert.Contains("cannot cross the wire", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsRoundTripThroughTheEnvelope()
    {
        var method = InterfaceDescriptor.For(typeof(IContextGrain)).Methods.Values.Single(m => m.Method.Name == nameof(IContextGrain.EchoAsync));
        var message = new Message
        {
            Id = 9,
            Kind = MessageKind.Request,
            Sender = new SiloAddress("127.0.0.1", 11111, 3),
            TargetSilo = new SiloAddress("127.0.0.1", 11112, 4),
            TargetGrain = GrainId.Create(method.Interface.Name, "key"),
            Method = method,
            Arguments = ["text"],
            Values = new Dictionary<string, object> { ["a"] = "b", ["n"] = 5L },
            CallChainId = Guid.Parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
            IsReadOnly = true,
            ForwardCount = 1,
        };

        var back = EnvelopeCodec.ReadRequest(Wire.Envelope.Parser.ParseFrom(EnvelopeCodec.WriteRequest(message).ToByteArray()));

        Assert.Equal(message.Id, back.Id);
        Assert.Equal(message.Sender, back.Sender);
        Assert.Equal(message.TargetSilo, back.TargetSilo);
        Assert.Equal(message.TargetGrain, back.TargetGrain);
        Assert.Equal(message.TargetGrain.GetHashCode(), back.TargetGrain.GetHashCode());
        Assert.Same(method, back.Method);
        Assert.Equal(message.Arguments, back.Arguments);
        Assert.Equal(message.Values, back.Values);
        Assert.Equal(message.CallChainId, back.CallChainId);
        Assert.True(back.IsReadOnly);
        Assert.Equal(1, back.ForwardCount);
    }

    [Fact]
    public void ARequestNamesItsGrainTypeOnceUnlessTheTargetIsOfAnotherType()
    {
        var method = InterfaceDescriptor.For(typeof(IContextGrain)).Methods.Values.Single(m => m.Method.Name == nameof(IContextGrain.EchoAsync));
        foreach (var type in new[] { method.Interface.Name, "Some.Other.IGrainType" })
        {
            var message = new Message
            {
                Id = 1,
                Kind = MessageKind.Request,
                Sender = new SiloAddress("127.0.0.1", 11111, 3),
                TargetGrain = GrainId.Create(type, 42),
                Method = method,
                Arguments = ["text"],
            };

            var envelope = EnvelopeCodec.WriteRequest(message);
            var back = EnvelopeCodec.ReadRequest(Wire.Envelope.Parser.ParseFrom(envelope.ToByteArray()));

            Assert.Equal(type == method.Interface.Name ? string.Empty : type, envelope.TargetGrain.Type);
            Assert.Equal(message.TargetGrain, back.TargetGrain);
        }
    }

    [Fact]
    public void EnvelopesNamingUnknownMethodsAreRejectedClearly()
    {
        var envelope = new Wire.Envelope { InterfaceType = typeof(IContextGrain).FullName, MethodId = 12345 };
        var error = Assert.Throws<InvalidDataException>(() => EnvelopeCodec.ReadRequest(envelope));
        Assert.Contains("no method with id 12345", error.Message, StringComparison.Ordinal);

        var unknown = new Wire.Envelope { InterfaceType = "No.Such.IGrain" };
        Assert.Throws<InvalidDataException>(() => EnvelopeCodec.ReadRequest(unknown));
    }

    [Fact]
    public void ExceptionsComeBackWithTypeAndMessageOrAsRemoteGrainException()
    {
        var known = ExceptionCodec.Read(ExceptionCodec.Write(new ArgumentException("bad arg")));
        Assert.IsType<ArgumentException>(known);
        Assert.Equal("bad arg", known.Message);

        var unknown = ExceptionCodec.Read(new Wire.ExceptionInfo { Type = "Nope.Missing, Nope", Message = "lost" });
        var remote = Assert.IsType<RemoteGrainException>(unknown);
        Assert.Equal("Nope.Missing, Nope", remote.RemoteType);
        Assert.Equal("lost", remote.Message);
    }

    [Fact]
    public void GrainIdsRoundTripForEveryKeyKind()
    {
        GrainId[] ids =
        [
            GrainId.Create("T", 5),
            GrainId.Create("T", "s"),
            GrainId.Create("T", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")),
            GrainId.Create("T", 5, "ext"),
        ];
        foreach (var id in ids)
        {
            Assert.Equal(id, EnvelopeCodec.Read(EnvelopeCodec.Write(id)));
        }

        Assert.Equal(4, ids.Distinct().Count());
    }

    [Fact]
    public void SiloAddressesRoundTripAndEqualAddressesShareOneWireForm()
    {
        var address = new SiloAddress("127.0.0.1", 11111, 42);
        var proto = EnvelopeCodec.Write(address);

        Assert.Same(proto, EnvelopeCodec.Write(new SiloAddress("127.0.0.1", 11111, 42)));
        Assert.Equal(address, EnvelopeCodec.Read(proto));
        Assert.True(EnvelopeCodec.Is(proto, address));
        Assert.Equal(new SiloAddress("127.0.0.1", 11111, 43), EnvelopeCodec.Read(EnvelopeCodec.Write(new SiloAddress("127.0.0.1", 11111, 43))));
    }

    public interface IBadGrain : IGrainWithIntegerKey
    {
        Task<List<int>> ListAsync();
    }
}
